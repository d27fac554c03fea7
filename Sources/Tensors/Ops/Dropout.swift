extension Tensor {
    /// Inverted dropout: while training, zeroes each element with probability `p` and scales the
    /// survivors by `1 / (1 - p)` so that the expected value is unchanged; the identity otherwise.
    ///
    /// The mask is drawn from `rng` in element order (for large tensors, from per-block generators
    /// seeded from `rng` in block order), so a seed reproduces it exactly.
    public func dropout(_ p: Float, training: Bool, rng: inout SeededGenerator) -> Tensor {
        precondition(p >= 0 && p <= 1, "dropout: probability \(p) is outside [0, 1] (shape \(shape))")
        if !training || p == 0 { return self }
        let draw = DropoutDraw(p)
        let mask = Tensor(uninitializedShape: shape)
        let pm = mask.data
        let out = Tensor(uninitializedShape: shape)
        let px = UnsafePointer(data), po = out.data
        forEachRandomBlock(count, rng: &rng) { generator, range in
            // A local copy keeps the generator in registers.
            var local = generator
            defer { generator = local }
            for i in range {
                let m = draw.mask(local.next())
                pm[i] = m
                po[i] = px[i] * m
            }
        }
        return masked(by: mask, output: out)
    }

    /// Dropout of this rank's rows of a global batch (axis 0; `shard` says which): the mask is
    /// drawn for the whole global batch, exactly as ``dropout(_:training:rng:)`` draws it for a
    /// tensor of `shard.globalRows` rows, and this rank keeps its rows of it. Every rank's `rng`
    /// advances alike, and the rows of all ranks together carry one process's mask.
    ///
    /// Draws K times the random numbers of the rank's own rows: cheap beside the layers around it.
    public func dropout(_ p: Float, shard: BatchShard, rng: inout SeededGenerator) -> Tensor {
        precondition(p >= 0 && p <= 1, "dropout: probability \(p) is outside [0, 1] (shape \(shape))")
        precondition(
            rank >= 1 && shape[0] == shard.ownCount,
            "dropout: a tensor of shape \(shape) is not the \(shard.ownCount) rows of this rank's shard")
        if p == 0 { return self }
        let draw = DropoutDraw(p)
        let rowSize = count / Swift.max(shape[0], 1)
        var global = [Float](repeating: 0, count: shard.globalRows * rowSize)
        global.withUnsafeMutableBufferPointer { buffer in
            let pg = buffer.baseAddress!
            forEachRandomBlock(buffer.count, rng: &rng) { generator, range in
                var local = generator
                defer { generator = local }
                for i in range { pg[i] = draw.mask(local.next()) }
            }
        }
        let mask = Tensor(uninitializedShape: shape)
        var offset = 0
        for rows in shard.ownRows {
            let n = rows.count * rowSize
            global.withUnsafeBufferPointer { (mask.data + offset).update(from: $0.baseAddress! + rows.lowerBound * rowSize, count: n) }
            offset += n
        }
        let out = Tensor(uninitializedShape: shape)
        let px = UnsafePointer(data), pm = UnsafePointer(mask.data), po = out.data
        Threading.parallelFor(count) { s, e in for i in s..<e { po[i] = px[i] * pm[i] } }
        return masked(by: mask, output: out)
    }

    /// `output` (this tensor times `mask`) recorded with the backward pass of a multiplication by the mask.
    private func masked(by mask: Tensor, output out: Tensor) -> Tensor {
        out.recorded(from: [self]) { [self] g in
            let gx = Tensor(uninitializedShape: shape)
            let pg = UnsafePointer(g.data), pgx = gx.data, pm = UnsafePointer(mask.data)
            Threading.parallelFor(count) { s, e in for i in s..<e { pgx[i] = pg[i] * pm[i] } }
            accumulateGrad(gx)
        }
    }
}

/// One mask value from one 64-bit draw: shared by both dropout paths, so a mask sliced from the
/// global batch's has one process's bits.
private struct DropoutDraw {
    /// Compare 24-bit draws as integers: the same test as `rng.uniform() < p`, without the float.
    let threshold: UInt64
    let scaleBits: UInt32

    init(_ p: Float) {
        threshold = UInt64((Double(p) * 0x1p24).rounded(.up))
        scaleBits = (p < 1 ? 1 / (1 - p) : 0).bitPattern
    }

    /// `scale` or +0, selected with bit operations, because a select compiles to a branch that
    /// mispredicts on p of the draws.
    @inline(__always) func mask(_ random: UInt64) -> Float {
        let kept = UInt32(truncatingIfNeeded: (((random >> 40) &- threshold) >> 63) &- 1)
        return Float(bitPattern: scaleBits & kept)
    }
}
