import Foundation

extension Tensor {
    /// `x / max(||x||, epsilon)` along `axis`: unit vectors, except that near-zero vectors are
    /// divided by `epsilon` instead of their norm (as PyTorch's `F.normalize`).
    public func l2Normalized(axis: Int = -1, epsilon: Float = 1e-12) -> Tensor {
        let layout = AxisLayout(shape: shape, axis: axis, op: "l2Normalized")
        let n = layout.extent, stride = layout.inner
        let out = Tensor(uninitializedShape: shape)
        // The divisor of every lane, and whether it was the norm (true) or epsilon.
        let divisors = TensorStorage(count: layout.outer * layout.inner)
        let px = UnsafePointer(data), po = out.data, pd = divisors.pointer
        forEachLane(layout) { lane, base in
            var squares: Float = 0
            for k in 0..<n { squares += px[base + k * stride] * px[base + k * stride] }
            let norm = squares.squareRoot()
            let divisor = Swift.max(norm, epsilon)
            // A negative divisor marks a lane clamped to epsilon, whose gradient is just g / epsilon.
            pd[lane] = norm > epsilon ? divisor : -divisor
            let scale = 1 / divisor
            for k in 0..<n { po[base + k * stride] = px[base + k * stride] * scale }
        }
        let y = out.storage
        return out.recorded(from: [self]) { [self] g in
            // Unclamped lanes: dx = (g - y * sum(g * y)) / norm.
            let gx = Tensor(uninitializedShape: shape)
            let pg = UnsafePointer(g.data), py = UnsafePointer(y.pointer), pgx = gx.data
            let pd = UnsafePointer(divisors.pointer)
            forEachLane(layout) { lane, base in
                let d = pd[lane]
                var dot: Float = 0
                if d > 0 { for k in 0..<n { dot += pg[base + k * stride] * py[base + k * stride] } }
                let scale = 1 / Swift.abs(d)
                for k in 0..<n {
                    let j = base + k * stride
                    pgx[j] = (pg[j] - py[j] * dot) * scale
                }
            }
            accumulateGrad(gx)
        }
    }
}
