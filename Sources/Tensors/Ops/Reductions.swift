extension Tensor {
    /// Normalises possibly negative axes and checks them against the rank.
    func normalizedAxes(_ axes: [Int], op: String) -> [Int] {
        let result = axes.map { $0 < 0 ? $0 + rank : $0 }
        for (given, axis) in zip(axes, result) {
            precondition(axis >= 0 && axis < rank, "\(op): axis \(given) is out of range for shape \(shape)")
        }
        return Array(Set(result)).sorted()
    }

    /// Sum over one axis without recording (the kernel shared by the reductions).
    func rawSum(axis: Int) -> Tensor {
        let outer = shape[..<axis].reduce(1, *)
        let n = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        var outShape = shape
        outShape[axis] = 1
        let out = Tensor(shape: outShape, repeating: 0)
        let p = data, o = out.data
        if inner == 1 {
            for r in 0..<outer {
                var acc: Float = 0
                let base = p + r * n
                for k in 0..<n { acc += base[k] }
                o[r] = acc
            }
        } else {
            for r in 0..<outer {
                let dst = o + r * inner
                for k in 0..<n {
                    let src = p + (r * n + k) * inner
                    for i in 0..<inner { dst[i] += src[i] }
                }
            }
        }
        return out
    }

    /// Sum over `axes` (all axes when empty is not what you want: use ``sum()``).
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor {
        let axes = normalizedAxes(axes, op: "sum")
        var result = self.detached()
        for axis in axes { result = result.rawSum(axis: axis) }
        let kept = result.shape
        let outShape = keepDims ? kept : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
        let out = Tensor(shape: outShape, storage: result.storage)
        return out.recorded(from: [self]) { [self] g in
            accumulateGrad(withoutGrad { g.reshaped(kept).broadcasted(to: shape) })
        }
    }

    public func sum(axis: Int, keepDims: Bool = false) -> Tensor { sum(axes: [axis], keepDims: keepDims) }

    /// The sum of all elements as a rank-0 tensor.
    public func sum() -> Tensor {
        var acc: Double = 0
        let p = data
        for i in 0..<count { acc += Double(p[i]) }
        let out = Tensor(Float(acc))
        return out.recorded(from: [self]) { [self] g in
            accumulateGrad(Tensor(shape: shape, repeating: g.item))
        }
    }

    public func mean() -> Tensor { sum() / Float(Swift.max(count, 1)) }

    public func mean(axes: [Int], keepDims: Bool = false) -> Tensor {
        let n = normalizedAxes(axes, op: "mean").reduce(1) { $0 * shape[$1] }
        return sum(axes: axes, keepDims: keepDims) / Float(n)
    }

    public func mean(axis: Int, keepDims: Bool = false) -> Tensor { mean(axes: [axis], keepDims: keepDims) }

    /// Population variance (divides by n) over `axes`.
    public func variance(axes: [Int], keepDims: Bool = false) -> Tensor {
        let centered = self - mean(axes: axes, keepDims: true)
        return centered.square().mean(axes: axes, keepDims: keepDims)
    }

    /// Maximum over one axis; the gradient goes to the first maximal element.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let axis = normalizedAxes([axis], op: "max")[0]
        let outer = shape[..<axis].reduce(1, *)
        let n = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        precondition(n > 0, "max: axis \(axis) of shape \(shape) is empty")
        var kept = shape
        kept[axis] = 1
        let out = Tensor(uninitializedShape: kept)
        var argmax = [Int](repeating: 0, count: outer * inner)
        let p = data, o = out.data
        for r in 0..<outer {
            for i in 0..<inner {
                var best = p[r * n * inner + i]
                var bestK = 0
                for k in 1..<Swift.max(n, 1) {
                    let v = p[(r * n + k) * inner + i]
                    if v > best || (best.isNaN && !v.isNaN) { best = v; bestK = k }
                }
                o[r * inner + i] = best
                argmax[r * inner + i] = bestK
            }
        }
        var outShape = kept
        if !keepDims { outShape.remove(at: axis) }
        let result = Tensor(shape: outShape, storage: out.storage)
        return result.recorded(from: [self]) { [self] g in
            let gx = Tensor.zeros(shape)
            let pg = g.data, px = gx.data
            for r in 0..<outer {
                for i in 0..<inner {
                    px[(r * n + argmax[r * inner + i]) * inner + i] = pg[r * inner + i]
                }
            }
            accumulateGrad(gx)
        }
    }

    /// Repeats broadcast axes so that the result has `target` shape.
    public func broadcasted(to target: [Int]) -> Tensor {
        if shape == target { return self }
        let resolved = broadcastShape(shape, target, op: "broadcast")
        precondition(resolved == target, "broadcast: shape \(shape) cannot be broadcast to \(target)")
        let out = Tensor(uninitializedShape: target)
        broadcastApply(self, Tensor(0), out) { a, _ in a }
        return out.recorded(from: [self]) { [self] g in accumulateGrad(g.sumToShape(shape)) }
    }
}
