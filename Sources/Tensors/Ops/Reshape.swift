extension Tensor {
    /// The same elements under another shape (shares storage; one extent may be -1).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let hole = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != hole }.reduce(1) { $0 * $1.element }
            precondition(known > 0 && count % known == 0, "reshape: cannot reshape \(shape) to \(newShape)")
            resolved[hole] = count / known
        }
        precondition(
            resolved.reduce(1, *) == count,
            "reshape: cannot reshape \(shape) (\(count) elements) to \(newShape) (\(resolved.reduce(1, *)) elements)")
        if resolved == shape { return self }
        let out = Tensor(shape: resolved, storage: storage)
        return out.recorded(from: [self]) { [self] g in accumulateGrad(g.reshaped(shape)) }
    }

    /// Flattens every axis after the first: (n, ...) -> (n, rest).
    public func flattened() -> Tensor { reshaped([shape.first ?? 1, -1]) }

    /// Reorders axes: result axis i is input axis `order[i]` (a copy).
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(
            order.count == rank && Set(order) == Set(0..<rank),
            "permute: \(order) is not a permutation of the axes of shape \(shape)")
        if order == Array(0..<rank) { return self }
        let outShape = order.map { shape[$0] }
        var inStrides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
        let strides = order.map { inStrides[$0] }
        let out = Tensor(uninitializedShape: outShape)
        let p = data, o = out.data
        let innerN = outShape[rank - 1], innerS = strides[rank - 1]
        let outer = count / Swift.max(innerN, 1)
        var index = [Int](repeating: 0, count: rank)
        var offset = 0
        for row in 0..<outer {
            let base = row * innerN
            for j in 0..<innerN { o[base + j] = p[offset + j * innerS] }
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < outShape[axis] { break }
                offset -= strides[axis] * outShape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, o) in order.enumerated() { inverse[o] = i }
        return out.recorded(from: [self]) { [self] g in accumulateGrad(g.permuted(inverse)) }
    }

    /// Swaps two axes (a copy).
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        precondition(
            (-rank..<rank).contains(a) && (-rank..<rank).contains(b),
            "transpose: axes \(a) and \(b) are out of range for shape \(shape)")
        let a = a < 0 ? a + rank : a, b = b < 0 ? b + rank : b
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return permuted(order)
    }
}
