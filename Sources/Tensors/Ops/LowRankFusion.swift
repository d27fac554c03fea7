/// Low-rank multimodal fusion at every position of (B, C, L) feature maps:
/// `z = Σ_r Π_i (W_i x_i + b_i)[r]`, where each `W_i` (R·C, C) projects input `i` to R groups
/// of C channels and the product runs over the inputs, group by group.
///
/// Equal to projecting each input with a kernel-size-1 convolution, multiplying and summing over
/// the R groups, but done in one (C, B·L) layout: the inputs are rearranged once, the R·C-channel
/// projections (four times the output's size at rank 4) never go back to (B, R·C, L), the biases
/// are added inside the product pass and the backward pass reads each projection once. Composed of
/// separate ops, this primitive was the most expensive of a BM-NAS-scale search, mostly in memory
/// traffic of those wide intermediates.
///
/// - Parameters:
///   - inputs: one or more (B, C, L) tensors of the same shape.
///   - weights: one (R·C, C) or (R·C, C, 1) tensor per input.
///   - biases: one (R·C) tensor per input.
///   - rank: R.
public func lowRankFusion(_ inputs: [Tensor], weights: [Tensor], biases: [Tensor], rank: Int) -> Tensor {
    precondition(
        inputs.count >= 1 && weights.count == inputs.count && biases.count == inputs.count,
        "lowRankFusion: \(inputs.count) inputs, \(weights.count) weights and \(biases.count) biases must match")
    let shape = inputs[0].shape
    precondition(shape.count == 3, "lowRankFusion: inputs must be (B, C, L), got \(shape)")
    let (batch, channels, length) = (shape[0], shape[1], shape[2])
    let wide = rank * channels, columns = batch * length
    for (i, x) in inputs.enumerated() {
        precondition(x.shape == shape, "lowRankFusion: input \(i) has shape \(x.shape), input 0 has \(shape)")
        precondition(
            weights[i].shape.prefix(2) == [wide, channels] && weights[i].count == wide * channels,
            "lowRankFusion: weight \(i) has shape \(weights[i].shape), expected (\(wide), \(channels)[, 1]) for rank \(rank)")
        precondition(biases[i].count == wide, "lowRankFusion: bias \(i) has shape \(biases[i].shape), expected (\(wide))")
    }
    // (B, C, L) -> (C, B·L), then each projection as one GEMM into (R·C, B·L). Biases are added
    // where the projections are read (here and in the backward pass), not in a pass of their own.
    let permuted = inputs.map { x in
        let p = TensorStorage(count: channels * columns)
        swapOuterAxes(x.data, into: p.pointer, outer: batch, inner: channels, length: length)
        return p
    }
    let projections = inputs.indices.map { i in
        let p = TensorStorage(count: wide * columns)
        sgemm(transA: false, transB: false, m: wide, n: columns, k: channels, a: weights[i].data, b: permuted[i].pointer, c: p.pointer)
        return p
    }
    let factors = projections.map { UnsafePointer($0.pointer) }
    let offsets = biases.map { UnsafePointer($0.data) }
    let fused = TensorStorage(count: channels * columns)
    Threading.parallelFor(channels, minimumPerThread: max(1, Threading.parallelThreshold / (rank * columns))) { start, end in
        for c in start..<end {
            let z = fused.pointer + c * columns
            z.update(repeating: 0, count: columns)
            for r in 0..<rank {
                let row = r * channels + c
                let f0 = factors[0] + row * columns, b0 = offsets[0][row]
                if factors.count == 2 {
                    let f1 = factors[1] + row * columns, b1 = offsets[1][row]
                    for n in 0..<columns { z[n] += (f0[n] + b0) * (f1[n] + b1) }
                } else {
                    for n in 0..<columns {
                        var product = f0[n] + b0
                        for k in 1..<factors.count { product *= factors[k][row * columns + n] + offsets[k][row] }
                        z[n] += product
                    }
                }
            }
        }
    }
    let out = Tensor(uninitializedShape: shape)
    swapOuterAxes(fused.pointer, into: out.data, outer: channels, inner: batch, length: length)
    return out.recorded(from: inputs + weights + biases) { g in
        // `factors` points into these buffers: the closure must own them until it runs.
        withExtendedLifetime(projections) {}
        let gp = TensorStorage(count: channels * columns)
        swapOuterAxes(g.data, into: gp.pointer, outer: batch, inner: channels, length: length)
        for i in inputs.indices {
            let (x, weight, bias) = (inputs[i], weights[i], biases[i])
            guard x.requiresGrad || weight.requiresGrad || bias.requiresGrad else { continue }
            // d(projection i) = g (broadcast over the R groups) times the other projections.
            let gProjection = TensorStorage(count: wide * columns)
            let others = inputs.indices.filter { $0 != i }.map { (factors[$0], offsets[$0]) }
            let gradient = gProjection.pointer, upstream = UnsafePointer(gp.pointer)
            Threading.parallelFor(wide, minimumPerThread: max(1, Threading.parallelThreshold / columns)) { start, end in
                for row in start..<end {
                    let d = gradient + row * columns, gz = upstream + (row % channels) * columns
                    d.update(from: gz, count: columns)
                    for (factor, offset) in others {
                        let f = factor + row * columns, b = offset[row]
                        for n in 0..<columns { d[n] *= f[n] + b }
                    }
                }
            }
            if bias.requiresGrad {
                let gb = Tensor(uninitializedShape: bias.shape)
                let pgb = gb.data
                Threading.parallelFor(wide, minimumPerThread: max(1, Threading.parallelThreshold / columns)) { start, end in
                    for row in start..<end { pgb[row] = vectorSum(gradient + row * columns, columns) }
                }
                bias.accumulateGrad(gb)
            }
            if weight.requiresGrad {
                let gw = Tensor(uninitializedShape: weight.shape)
                sgemm(transA: false, transB: true, m: wide, n: channels, k: columns, a: gradient, b: permuted[i].pointer, c: gw.data)
                weight.accumulateGrad(gw)
            }
            if x.requiresGrad {
                let gxP = TensorStorage(count: channels * columns)
                sgemm(transA: true, transB: false, m: channels, n: columns, k: wide, a: weight.data, b: gradient, c: gxP.pointer)
                let gx = Tensor(uninitializedShape: shape)
                swapOuterAxes(gxP.pointer, into: gx.data, outer: channels, inner: batch, length: length)
                x.accumulateGrad(gx)
            }
        }
    }
}
