extension Tensor {
    /// The rows (entries of axis 0) at `rows`, in that order; indices may repeat.
    ///
    /// The backward pass adds each output row's gradient into its source row, so a row picked twice
    /// receives both gradients.
    public func indexSelect(_ rows: [Int]) -> Tensor {
        gatherRows(rows, op: "indexSelect", indexName: "row")
    }

    /// The gather kernel behind ``indexSelect(_:)`` and ``embedding(_:table:)``.
    func gatherRows(_ rows: [Int], op: String, indexName: String) -> Tensor {
        precondition(rank >= 1, "\(op): expects a tensor with at least one axis, got shape \(shape)")
        let available = shape[0]
        for (position, row) in rows.enumerated() {
            precondition(
                row >= 0 && row < available,
                "\(op): \(indexName) \(row) at position \(position) is out of range 0..<\(available) for shape \(shape)")
        }
        let width = available == 0 ? 0 : count / available
        var outShape = shape
        outShape[0] = rows.count
        let out = Tensor(uninitializedShape: outShape)
        let src = UnsafePointer(data), dst = out.data
        rows.withUnsafeBufferPointer { index in
            parallelItems(rows.count, workPerItem: width) { s, e in
                for i in s..<e { (dst + i * width).update(from: src + index[i] * width, count: width) }
            }
        }
        return out.recorded(from: [self]) { [self] g in
            // Scatter-add is serial: repeated indices would make a parallel version race.
            let gx = Tensor.zeros(shape)
            let pg = UnsafePointer(g.data), px = gx.data
            for (i, row) in rows.enumerated() {
                let target = px + row * width, source = pg + i * width
                for j in 0..<width { target[j] += source[j] }
            }
            accumulateGrad(gx)
        }
    }
}
