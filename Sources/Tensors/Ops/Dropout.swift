extension Tensor {
    /// Inverted dropout: while training, zeroes each element with probability `p` and scales the
    /// survivors by `1 / (1 - p)` so that the expected value is unchanged; the identity otherwise.
    ///
    /// The mask is drawn from `rng` in element order (for large tensors, from per-block generators
    /// seeded from `rng` in block order), so a seed reproduces it exactly.
    public func dropout(_ p: Float, training: Bool, rng: inout SeededGenerator) -> Tensor {
        precondition(p >= 0 && p <= 1, "dropout: probability \(p) is outside [0, 1] (shape \(shape))")
        if !training || p == 0 { return self }
        let scale: Float = p < 1 ? 1 / (1 - p) : 0
        // Compare 24-bit draws as integers: the same test as `rng.uniform() < p`, without the float.
        let threshold = UInt64((Double(p) * 0x1p24).rounded(.up))
        let mask = Tensor(uninitializedShape: shape)
        let pm = mask.data
        let out = Tensor(uninitializedShape: shape)
        let px = UnsafePointer(data), po = out.data
        let scaleBits = scale.bitPattern
        forEachRandomBlock(count, rng: &rng) { generator, range in
            // A local copy keeps the generator in registers; the mask is `scale` or +0 selected with
            // bit operations, because a select compiles to a branch that mispredicts on p of the draws.
            var local = generator
            defer { generator = local }
            for i in range {
                let kept = UInt32(truncatingIfNeeded: (((local.next() >> 40) &- threshold) >> 63) &- 1)
                let m = Float(bitPattern: scaleBits & kept)
                pm[i] = m
                po[i] = px[i] * m
            }
        }
        return out.recorded(from: [self]) { [self] g in
            let gx = Tensor(uninitializedShape: shape)
            let pg = UnsafePointer(g.data), pgx = gx.data, pm = UnsafePointer(mask.data)
            Threading.parallelFor(count) { s, e in for i in s..<e { pgx[i] = pg[i] * pm[i] } }
            accumulateGrad(gx)
        }
    }
}
