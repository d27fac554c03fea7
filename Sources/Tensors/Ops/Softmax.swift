import Foundation

extension Tensor {
    /// `exp(x) / sum(exp(x))` along `axis`, computed after subtracting the maximum so that large
    /// logits do not overflow.
    ///
    /// A lane whose elements are all -inf (everything masked out) gives the uniform distribution
    /// `1 / n`, the value for any lane of equal logits, instead of `exp(-inf - -inf)` = NaN; its
    /// gradient is zero, as for ``logSumExp(axis:keepDims:)``: no finite change of a -inf element
    /// moves it. The output of every lane therefore stays a distribution, and no NaN reaches the
    /// parameters through the rest of the graph.
    public func softmax(axis: Int = -1) -> Tensor {
        let layout = AxisLayout(shape: shape, axis: axis, op: "softmax")
        let n = layout.extent, stride = layout.inner
        let out = Tensor(uninitializedShape: shape)
        normalizeExponentials(layout, into: out.data, logarithmic: false)
        let y = out.storage
        return out.recorded(from: [self]) { [self] g in
            // dx = y * (g - sum(g * y))
            let gx = Tensor(uninitializedShape: shape)
            let py = UnsafePointer(y.pointer), pg = UnsafePointer(g.data), px = gx.data
            let input = UnsafePointer(data)
            forEachLane(layout) { _, base in
                if isFullyMasked(input, base: base, count: n, stride: stride) {
                    for k in 0..<n { px[base + k * stride] = 0 }
                    return
                }
                var dot: Float = 0
                for k in 0..<n { dot += pg[base + k * stride] * py[base + k * stride] }
                for k in 0..<n {
                    let j = base + k * stride
                    px[j] = py[j] * (pg[j] - dot)
                }
            }
            accumulateGrad(gx)
        }
    }

    /// `x - log(sum(exp(x)))` along `axis`, stable for very large and very negative logits.
    ///
    /// A lane whose elements are all -inf gives `-log(n)`, the logarithm of ``softmax(axis:)``'s
    /// uniform distribution there, with a zero gradient (see ``softmax(axis:)``).
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let layout = AxisLayout(shape: shape, axis: axis, op: "logSoftmax")
        let n = layout.extent, stride = layout.inner
        let out = Tensor(uninitializedShape: shape)
        normalizeExponentials(layout, into: out.data, logarithmic: true)
        let y = out.storage
        return out.recorded(from: [self]) { [self] g in
            // dx = g - softmax * sum(g), with softmax = exp(y)
            let gx = Tensor(uninitializedShape: shape)
            let py = UnsafePointer(y.pointer), pg = UnsafePointer(g.data), px = gx.data
            let input = UnsafePointer(data)
            forEachLane(layout) { _, base in
                if isFullyMasked(input, base: base, count: n, stride: stride) {
                    for k in 0..<n { px[base + k * stride] = 0 }
                    return
                }
                var total: Float = 0
                for k in 0..<n { total += pg[base + k * stride] }
                for k in 0..<n {
                    let j = base + k * stride
                    px[j] = pg[j] - Foundation.exp(py[j]) * total
                }
            }
            accumulateGrad(gx)
        }
    }

    /// `log(sum(exp(x)))` along `axis`, computed as `max + log(sum(exp(x - max)))`.
    ///
    /// A lane whose elements are all -inf (everything masked out) gives -inf, and its gradient is
    /// zero rather than NaN: any finite change of a -inf element leaves it -inf, so the value does
    /// not move, just as the -inf elements of a partly masked lane get no gradient. A NaN there
    /// would otherwise reach every parameter through the rest of the graph.
    public func logSumExp(axis: Int, keepDims: Bool = false) -> Tensor {
        let layout = AxisLayout(shape: shape, axis: axis, op: "logSumExp")
        precondition(layout.extent > 0, "logSumExp: axis \(layout.axis) of shape \(shape) is empty")
        var outShape = shape
        if keepDims { outShape[layout.axis] = 1 } else { outShape.remove(at: layout.axis) }
        let out = Tensor(uninitializedShape: outShape)
        let px = UnsafePointer(data), po = out.data
        let n = layout.extent, stride = layout.inner
        forEachLane(layout) { lane, base in
            var m = -Float.infinity
            for k in 0..<n { m = Swift.max(m, px[base + k * stride]) }
            var total: Float = 0
            if m.isFinite { for k in 0..<n { total += Foundation.exp(px[base + k * stride] - m) } }
            // Lane (r, i) maps to output element r * inner + i; base = r * n * inner + i.
            po[lane] = m.isFinite ? m + Foundation.log(total) : m
        }
        let lse = out.storage
        return out.recorded(from: [self]) { [self] g in
            // dx = g * exp(x - lse)
            let gx = Tensor(uninitializedShape: shape)
            let pl = UnsafePointer(lse.pointer), pg = UnsafePointer(g.data), pgx = gx.data
            forEachLane(layout) { lane, base in
                let l = pl[lane], gl = pg[lane]
                // exp(-inf - -inf) would be NaN.
                if l == -Float.infinity {
                    for k in 0..<n { pgx[base + k * stride] = 0 }
                    return
                }
                for k in 0..<n {
                    let j = base + k * stride
                    pgx[j] = gl * Foundation.exp(px[j] - l)
                }
            }
            accumulateGrad(gx)
        }
    }

    /// The forward kernel shared by softmax and log-softmax.
    private func normalizeExponentials(_ layout: AxisLayout, into out: UnsafeMutablePointer<Float>, logarithmic: Bool) {
        let px = UnsafePointer(data)
        let n = layout.extent, stride = layout.inner
        forEachLane(layout) { lane, base in
            var m = -Float.infinity
            for k in 0..<n { m = Swift.max(m, px[base + k * stride]) }
            // All -inf: the uniform distribution (see softmax(axis:)); exp(x - m) would be NaN.
            if m == -Float.infinity {
                let value = logarithmic ? -Foundation.log(Float(n)) : 1 / Float(n)
                for k in 0..<n { out[base + k * stride] = value }
                return
            }
            var total: Float = 0
            for k in 0..<n {
                let j = base + k * stride
                let e = Foundation.exp(px[j] - m)
                total += e
                if !logarithmic { out[j] = e }
            }
            if logarithmic {
                // (x - max) first: it is exact for logits near the maximum, whatever their magnitude.
                let logTotal = Foundation.log(total)
                for k in 0..<n {
                    let j = base + k * stride
                    out[j] = (px[j] - m) - logTotal
                }
            } else {
                let scale = 1 / total
                for k in 0..<n { out[base + k * stride] *= scale }
            }
        }
    }
}

/// Whether every element of the lane at `base` is -inf: softmax's definition for such a lane
/// (uniform, with no gradient) takes over from the formula there.
@inline(__always)
func isFullyMasked(_ p: UnsafePointer<Float>, base: Int, count: Int, stride: Int) -> Bool {
    for k in 0..<count where p[base + k * stride] != -Float.infinity { return false }
    return true
}

/// Calls `body(lane, base)` for every 1-D lane along the layout's axis: lane `r * inner + i` holds
/// the elements at `base + k * inner` for `k` in `0..<extent`, with `base = r * extent * inner + i`.
/// The lane number is also the element's index in the axis-reduced tensor. Lanes are independent,
/// so they run in parallel.
@inline(__always)
func forEachLane(_ layout: AxisLayout, _ body: (_ lane: Int, _ base: Int) -> Void) {
    let n = layout.extent, inner = layout.inner
    if n == 0 || inner == 0 { return }
    parallelItems(layout.outer * inner, workPerItem: n) { s, e in
        for lane in s..<e {
            let r = lane / inner
            body(lane, lane + r * (n - 1) * inner)
        }
    }
}
