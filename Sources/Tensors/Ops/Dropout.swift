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
        if count <= dropoutBlock {
            for i in 0..<count { pm[i] = rng.next() >> 40 < threshold ? 0 : scale }
            for i in 0..<count { po[i] = px[i] * pm[i] }
        } else {
            // Drawing one value per element from a single generator is serial and was a visible
            // share of a search step. Large tensors are cut into fixed blocks, each with its own
            // generator seeded from `rng` in block order, so the mask depends only on the seed and
            // the size (never on the thread count) and blocks are filled in parallel.
            let blocks = (count + dropoutBlock - 1) / dropoutBlock
            let seeds = (0..<blocks).map { _ in rng.next() }
            seeds.withUnsafeBufferPointer { seeds in
                Threading.parallelFor(blocks, minimumPerThread: 1) { s, e in
                    for block in s..<e {
                        var local = SeededGenerator(seed: seeds[block])
                        for i in (block * dropoutBlock)..<Swift.min(count, (block + 1) * dropoutBlock) {
                            let m: Float = local.next() >> 40 < threshold ? 0 : scale
                            pm[i] = m
                            po[i] = px[i] * m
                        }
                    }
                }
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

/// Elements per independently seeded block of a large dropout mask.
let dropoutBlock = 1 << 15
