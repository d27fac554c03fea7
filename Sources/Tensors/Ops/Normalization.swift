import Foundation

/// Layer normalisation over the trailing `normalizedCount` elements of each row, fused into one
/// forward pass and one hand-written backward pass.
///
/// For `x` of shape (B, C, L) and `normalizedCount == C * L`, every sample is normalised over its
/// whole (C, L) block; with `normalizedCount == L` every (sample, channel) row is. The result is
/// `(x - mean) / sqrt(var + epsilon) * weight + bias` with the population variance, as in PyTorch.
///
/// - Parameters:
///   - normalizedCount: the product of the trailing extents that are normalised together.
///   - weight: `normalizedCount` elements (any shape), or nil for no scale.
///   - bias: `normalizedCount` elements (any shape), or nil for no shift.
public func layerNorm(
    _ x: Tensor, normalizedCount: Int, weight: Tensor?, bias: Tensor?, epsilon: Float = 1e-5
) -> Tensor {
    var trailing = 1
    var matchesTrailingAxes = normalizedCount == 1
    for extent in x.shape.reversed() {
        trailing *= extent
        if trailing == normalizedCount { matchesTrailingAxes = true; break }
        if trailing > normalizedCount { break }
    }
    precondition(
        normalizedCount > 0 && matchesTrailingAxes,
        "layerNorm: normalizedCount \(normalizedCount) is not the size of trailing axes of shape \(x.shape)")
    if let weight {
        precondition(
            weight.count == normalizedCount,
            "layerNorm: weight shape \(weight.shape) does not have \(normalizedCount) elements (input \(x.shape))")
    }
    if let bias {
        precondition(
            bias.count == normalizedCount,
            "layerNorm: bias shape \(bias.shape) does not have \(normalizedCount) elements (input \(x.shape))")
    }
    let n = normalizedCount
    let rows = x.count / n
    let out = Tensor(uninitializedShape: x.shape)
    // Per-row statistics are kept for the backward pass; x-hat is recomputed there, which is
    // cheaper than storing a second activation-sized buffer.
    let mean = TensorStorage(count: rows)
    let inverseStd = TensorStorage(count: rows)
    let px = x.data, po = out.data, pm = mean.pointer, ps = inverseStd.pointer
    let pw = weight?.data, pb = bias?.data
    Threading.parallelFor(rows, minimumPerThread: max(1, Threading.parallelThreshold / n)) { start, end in
        for r in start..<end {
            let row = px + r * n, dst = po + r * n
            let mu = vectorSum(row, n) / Float(n)
            let squares = vectorSquaredDeviations(row, n, mean: mu)
            let invStd = 1 / (squares / Float(n) + epsilon).squareRoot()
            pm[r] = mu
            ps[r] = invStd
            switch (pw, pb) {
            case let (w?, b?): for i in 0..<n { dst[i] = (row[i] - mu) * invStd * w[i] + b[i] }
            case let (w?, nil): for i in 0..<n { dst[i] = (row[i] - mu) * invStd * w[i] }
            case let (nil, b?): for i in 0..<n { dst[i] = (row[i] - mu) * invStd + b[i] }
            case (nil, nil): for i in 0..<n { dst[i] = (row[i] - mu) * invStd }
            }
        }
    }
    var inputs = [x]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }
    return out.recorded(from: inputs) { g in
        // Read the statistics through their storages so that the closure keeps them alive.
        let pm = mean.pointer, ps = inverseStd.pointer
        let pg = g.data
        if x.requiresGrad {
            let gx = Tensor(uninitializedShape: x.shape)
            let pgx = gx.data
            let ones = TensorStorage(count: pw == nil ? n : 0)
            if pw == nil { ones.pointer.update(repeating: 1, count: n) }
            Threading.parallelFor(rows, minimumPerThread: max(1, Threading.parallelThreshold / n)) { start, end in
                for r in start..<end {
                    let row = px + r * n, gRow = pg + r * n, dst = pgx + r * n
                    let mu = pm[r], invStd = ps[r]
                    // dx = invStd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = g * w.
                    // Without a weight, dxhat is g itself: use a weight of ones.
                    let w = pw ?? ones.pointer
                    var (sumD, sumDX) = vectorWeightedSumAndCenteredDot(gRow, w, row, n, mean: mu)
                    sumDX *= invStd
                    let meanD = sumD / Float(n), meanDX = sumDX / Float(n)
                    for i in 0..<n {
                        let xHat = (row[i] - mu) * invStd
                        dst[i] = invStd * (gRow[i] * w[i] - meanD - xHat * meanDX)
                    }
                }
            }
            x.accumulateGrad(gx)
        }
        let needsWeight = weight?.requiresGrad ?? false, needsBias = bias?.requiresGrad ?? false
        if needsWeight || needsBias {
            // Rows are summed in order on one thread so that parameter gradients are reproducible.
            var gw = [Float](repeating: 0, count: needsWeight ? n : 0)
            var gb = [Float](repeating: 0, count: needsBias ? n : 0)
            for r in 0..<rows {
                let row = px + r * n, gRow = pg + r * n
                let mu = pm[r], invStd = ps[r]
                if needsWeight { for i in 0..<n { gw[i] += gRow[i] * (row[i] - mu) * invStd } }
                if needsBias { for i in 0..<n { gb[i] += gRow[i] } }
            }
            if let weight, needsWeight { weight.accumulateGrad(Tensor(shape: weight.shape, values: gw)) }
            if let bias, needsBias { bias.accumulateGrad(Tensor(shape: bias.shape, values: gb)) }
        }
    }
}

/// Batch normalisation over channel axis 1 of an (N, C) or (N, C, L) tensor, fused with a
/// hand-written backward pass.
///
/// In training mode each channel is normalised with its batch mean and population variance, and
/// the running estimates are updated in place as PyTorch does:
/// `running = (1 - momentum) * running + momentum * batchStatistic`, using the unbiased variance
/// (n / (n - 1)) for the running variance. In evaluation mode the running estimates normalise and
/// are left untouched.
///
/// - Parameters:
///   - runningMean: C elements, updated in place in training mode (not differentiated).
///   - runningVariance: C elements, updated in place in training mode (not differentiated).
///   - weight: C elements, or nil for no scale.
///   - bias: C elements, or nil for no shift.
///   - relu: applies ReLU in the same output pass (BM-NAS's reshape layer and ConcatFC are
///     BatchNorm -> ReLU); the backward pass masks the gradient instead of running a separate op.
///   - statisticsGroup: in training mode, ranks whose rows together form the batch (a
///     data-parallel step): the per-channel sums of the forward and backward passes are summed
///     over them, so every rank normalises with the global batch's statistics, as PyTorch's
///     `SyncBatchNorm`. The weight and bias gradients stay this rank's part.
public func batchNorm(
    _ x: Tensor, runningMean: Tensor, runningVariance: Tensor, weight: Tensor?, bias: Tensor?,
    training: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5, relu: Bool = false,
    statisticsGroup: (any Communicator)? = nil
) -> Tensor {
    precondition(
        x.rank == 2 || x.rank == 3,
        "batchNorm: expects (N, C) or (N, C, L), got shape \(x.shape)")
    let batch = x.shape[0], channels = x.shape[1], length = x.rank == 3 ? x.shape[2] : 1
    precondition(
        runningMean.count == channels && runningVariance.count == channels,
        "batchNorm: running statistics \(runningMean.shape), \(runningVariance.shape) do not have \(channels) channels (input \(x.shape))")
    if let weight {
        precondition(weight.count == channels, "batchNorm: weight shape \(weight.shape) does not match \(channels) channels (input \(x.shape))")
    }
    if let bias {
        precondition(bias.count == channels, "batchNorm: bias shape \(bias.shape) does not match \(channels) channels (input \(x.shape))")
    }
    let perChannel = batch * length
    let group = training ? statisticsGroup.flatMap { $0.size > 1 ? $0 : nil } : nil
    precondition(
        !training || perChannel > 1 || group != nil,
        "batchNorm: training needs more than one value per channel, got input shape \(x.shape)")
    // Values per channel over the whole batch: over every rank of `group`.
    var counted = Float(perChannel)
    if let group {
        var count = [counted]
        count.withUnsafeMutableBufferPointer { group.allReduceSum($0) }
        counted = count[0]
    }
    let mean = TensorStorage(count: channels)
    let inverseStd = TensorStorage(count: channels)
    let px = x.data, pm = mean.pointer, ps = inverseStd.pointer
    let channelStride = length, sampleStride = channels * length
    // Channels are independent, so they are split across threads; each channel's sums run in a
    // fixed order, which keeps results reproducible.
    let channelsPerThread = max(1, Threading.parallelThreshold / max(perChannel, 1))
    if let group {
        // Two all-reduces of C sums each: the mean first, then the squared deviations from it
        // (as the one-process path, rather than E[x²] - E[x]², which loses digits).
        let prm = runningMean.data, prv = runningVariance.data
        var sums = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            for b in 0..<batch { sums[c] += vectorSum(px + b * sampleStride + c * channelStride, length) }
        }
        sums.withUnsafeMutableBufferPointer { group.allReduceSum($0) }
        var squares = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            pm[c] = sums[c] / counted
            for b in 0..<batch {
                squares[c] += vectorSquaredDeviations(px + b * sampleStride + c * channelStride, length, mean: pm[c])
            }
        }
        squares.withUnsafeMutableBufferPointer { group.allReduceSum($0) }
        for c in 0..<channels {
            ps[c] = 1 / (squares[c] / counted + epsilon).squareRoot()
            prm[c] = (1 - momentum) * prm[c] + momentum * pm[c]
            prv[c] = (1 - momentum) * prv[c] + momentum * squares[c] / (counted - 1)
        }
    } else if training {
        let prm = runningMean.data, prv = runningVariance.data
        Threading.parallelFor(channels, minimumPerThread: channelsPerThread) { start, end in for c in start..<end {
            var sum: Float = 0
            for b in 0..<batch { sum += vectorSum(px + b * sampleStride + c * channelStride, length) }
            let mu = sum / Float(perChannel)
            var squares: Float = 0
            for b in 0..<batch {
                squares += vectorSquaredDeviations(px + b * sampleStride + c * channelStride, length, mean: mu)
            }
            let variance = squares / Float(perChannel)
            pm[c] = mu
            ps[c] = 1 / (variance + epsilon).squareRoot()
            prm[c] = (1 - momentum) * prm[c] + momentum * mu
            prv[c] = (1 - momentum) * prv[c] + momentum * squares / Float(perChannel - 1)
        } }
    } else {
        let prm = runningMean.data, prv = runningVariance.data
        for c in 0..<channels {
            pm[c] = prm[c]
            ps[c] = 1 / (prv[c] + epsilon).squareRoot()
        }
    }
    // Fold normalisation and the affine map into one scale and shift per channel.
    var scale = [Float](repeating: 0, count: channels), shift = [Float](repeating: 0, count: channels)
    for c in 0..<channels {
        let w = weight?.data[c] ?? 1, b = bias?.data[c] ?? 0
        scale[c] = ps[c] * w
        shift[c] = b - pm[c] * ps[c] * w
    }
    let out = Tensor(uninitializedShape: x.shape)
    let po = out.data
    scale.withUnsafeBufferPointer { sc in
        shift.withUnsafeBufferPointer { sh in
            // Samples are independent here: split them across threads.
            Threading.parallelFor(batch, minimumPerThread: max(1, Threading.parallelThreshold / max(sampleStride, 1))) { start, end in
            for b in start..<end {
                for c in 0..<channels {
                    let offset = b * sampleStride + c * channelStride
                    let s = sc[c], t = sh[c]
                    if relu {
                        for l in 0..<length { po[offset + l] = Swift.max(px[offset + l] * s + t, 0) }
                    } else {
                        for l in 0..<length { po[offset + l] = px[offset + l] * s + t }
                    }
                }
            }
            }
        }
    }
    var inputs = [x]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }
    // The output's storage, not the output: the output owns this closure.
    let output = out.storage
    return out.recorded(from: inputs) { g in
        // Read the statistics through their storages so that the closure keeps them alive.
        let pm = mean.pointer, ps = inverseStd.pointer
        // With the fused ReLU, the gradient reaching the normalisation is zero where the output was clipped.
        let masked = relu ? TensorStorage(count: g.count) : nil
        if let masked {
            let pgi = g.data, pgm = masked.pointer, py = output.pointer
            Threading.parallelFor(g.count) { s, e in
                for i in s..<e {
                    let gv = pgi[i]
                    pgm[i] = py[i] > 0 ? gv : 0
                }
            }
        }
        let pg = masked?.pointer ?? g.data
        // Per channel: sum(g) and sum(g * xhat) feed every gradient (they are also db and dw).
        let sumG = Tensor(shape: [channels], repeating: 0), sumGX = Tensor(shape: [channels], repeating: 0)
        let psg = sumG.data, psgx = sumGX.data
        Threading.parallelFor(channels, minimumPerThread: channelsPerThread) { start, end in
            for c in start..<end {
                let mu = pm[c], invStd = ps[c]
                var sg: Float = 0, sgx: Float = 0
                for b in 0..<batch {
                    let offset = b * sampleStride + c * channelStride
                    let (s, d) = vectorSumAndCenteredDot(pg + offset, px + offset, length, mean: mu)
                    sg += s
                    sgx += d
                }
                psg[c] = sg
                psgx[c] = sgx * invStd
            }
        }
        // The means below are over the whole batch: with a group, its ranks' sums added (into a
        // copy: the weight and bias gradients stay this rank's part).
        var global = (sumG: UnsafePointer(psg), sumGX: UnsafePointer(psgx))
        let reduced = TensorStorage(count: 2 * channels)
        if let group, x.requiresGrad {
            reduced.pointer.update(from: psg, count: channels)
            (reduced.pointer + channels).update(from: psgx, count: channels)
            group.allReduceSum(UnsafeMutableBufferPointer(start: reduced.pointer, count: 2 * channels))
            global = (UnsafePointer(reduced.pointer), UnsafePointer(reduced.pointer + channels))
        }
        if x.requiresGrad {
            let gx = Tensor(uninitializedShape: x.shape)
            let pgx = gx.data, pw = weight?.data
            Threading.parallelFor(channels, minimumPerThread: channelsPerThread) { start, end in for c in start..<end {
                let w = pw?[c] ?? 1
                let mu = pm[c], invStd = ps[c]
                // Training: dx = w * invStd * (g - mean(g) - xhat * mean(g * xhat)); the batch
                // statistics depend on x. Evaluation: the statistics are constants, dx = w * invStd * g.
                let meanG = training ? global.sumG[c] / counted : 0
                let meanGX = training ? global.sumGX[c] / counted : 0
                let k = w * invStd
                for b in 0..<batch {
                    let offset = b * sampleStride + c * channelStride
                    for l in 0..<length {
                        let xHat = (px[offset + l] - mu) * invStd
                        pgx[offset + l] = k * (pg[offset + l] - meanG - xHat * meanGX)
                    }
                }
            } }
            x.accumulateGrad(gx)
        }
        if let weight, weight.requiresGrad { weight.accumulateGrad(sumGX.reshaped(weight.shape)) }
        if let bias, bias.requiresGrad { bias.accumulateGrad(sumG.reshaped(bias.shape)) }
    }
}
