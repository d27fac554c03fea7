/// 2-D convolution (cross-correlation, as in PyTorch) of `input` (N, C, H, W) with `weight`
/// (O, C, kh, kw) plus an optional `bias` (O), giving (N, O, Ho, Wo) with
/// `Ho = (H + 2 * padding - kh) / stride + 1`.
///
/// Each image is unfolded with im2col and multiplied by the weight matrix with one SGEMM; the
/// backward pass uses two more SGEMMs and col2im. Zero padding. Small products run their samples on
/// separate threads (``SampleLoop``, ``SampleGroups``), with results independent of the thread count.
public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0) -> Tensor {
    precondition(
        input.rank == 4 && weight.rank == 4,
        "conv2d: expects input (N, C, H, W) and weight (O, C, kh, kw), got \(input.shape) and \(weight.shape)")
    return convolution(
        input, weight: weight, bias: bias, stride: (stride, stride), padding: (padding, padding), op: "conv2d")
}

/// 1-D convolution of `input` (N, C, L) with `weight` (O, C, k) plus an optional `bias` (O), giving
/// (N, O, (L + 2 * padding - k) / stride + 1). Runs the 2-D kernel on a height-1 view.
public func conv1d(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0) -> Tensor {
    precondition(
        input.rank == 3 && weight.rank == 3,
        "conv1d: expects input (N, C, L) and weight (O, C, k), got \(input.shape) and \(weight.shape)")
    let image = input.reshaped([input.shape[0], input.shape[1], 1, input.shape[2]])
    let kernel = weight.reshaped([weight.shape[0], weight.shape[1], 1, weight.shape[2]])
    let out = convolution(image, weight: kernel, bias: bias, stride: (1, stride), padding: (0, padding), op: "conv1d")
    return out.reshaped([out.shape[0], out.shape[1], out.shape[3]])
}

/// The shared convolution kernel over (N, C, H, W) with per-axis stride and padding.
func convolution(
    _ input: Tensor, weight: Tensor, bias: Tensor?, stride: (Int, Int), padding: (Int, Int), op: String
) -> Tensor {
    let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (o, kc, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    precondition(
        kc == c, "\(op): input has \(c) channels but weight \(weight.shape) expects \(kc) (input \(input.shape))")
    precondition(
        stride.0 >= 1 && stride.1 >= 1 && padding.0 >= 0 && padding.1 >= 0,
        "\(op): stride must be positive and padding non-negative, got stride \(stride) padding \(padding)")
    if let bias {
        precondition(bias.shape == [o], "\(op): bias shape \(bias.shape) should be [\(o)] for weight \(weight.shape)")
    }
    let geometry = ConvolutionGeometry(
        channels: c, height: h, width: w, kernelHeight: kh, kernelWidth: kw,
        strideHeight: stride.0, strideWidth: stride.1, padHeight: padding.0, padWidth: padding.1)
    precondition(
        h + 2 * padding.0 >= kh && w + 2 * padding.1 >= kw,
        "\(op): kernel \(weight.shape) is larger than the padded input \(input.shape) (padding \(padding))")
    let ho = geometry.outputHeight, wo = geometry.outputWidth
    let positions = geometry.outputPositions, rows = geometry.columnRows, imageSize = geometry.imageSize
    let out = Tensor(uninitializedShape: [n, o, ho, wo])
    // Each sample's columns and product are its own, so samples can run on different threads.
    let samples = SampleLoop(count: n, scratch: geometry.isPointwise ? 0 : rows * positions, product: (o, positions, rows))
    samples.run { sample, columns in
        let image = UnsafePointer(input.data + sample * imageSize)
        let target = out.data + sample * o * positions
        var b: UnsafePointer<Float> = image
        if let columns {
            geometry.im2col(image, into: columns)
            b = UnsafePointer(columns)
        }
        if let bias {
            for channel in 0..<o { (target + channel * positions).update(repeating: bias.data[channel], count: positions) }
        }
        sgemm(
            transA: false, transB: false, m: o, n: positions, k: rows,
            a: weight.data, b: b, beta: bias == nil ? 0 : 1, c: target)
    }
    var inputs = [input, weight]
    if let bias { inputs.append(bias) }
    return out.recorded(from: inputs) { g in
        let gw = weight.requiresGrad ? Tensor(uninitializedShape: weight.shape) : nil
        let gx = input.requiresGrad ? Tensor(uninitializedShape: input.shape) : nil
        if let gw {
            // dW = sum over samples of g_n (O, P) x columns_nᵀ (P, C*kh*kw). Samples are summed in
            // groups whose number depends on the shape only (one group, in sample order, when each
            // product is large enough to use the threads itself); each group accumulates its samples
            // in order (beta = 1) and the groups' sums are added in group order, so the result does
            // not depend on the thread count.
            let groups = SampleGroups(count: n, product: (o, rows, positions))
            let size = o * rows
            let partials = groups.count > 1 ? TensorStorage(count: groups.count * size) : nil
            Threading.parallelFor(groups.count, minimumPerThread: 1) { first, last in
                let columns = geometry.isPointwise ? nil : TensorStorage(count: rows * positions)
                for group in first..<last {
                    let target = partials.map { $0.pointer + group * size } ?? gw.data
                    for sample in groups.samples(of: group) {
                        var b = UnsafePointer(input.data + sample * imageSize)
                        if let columns {
                            geometry.im2col(b, into: columns.pointer)
                            b = UnsafePointer(columns.pointer)
                        }
                        sgemm(
                            transA: false, transB: true, m: o, n: rows, k: positions,
                            a: g.data + sample * o * positions, b: b,
                            beta: sample == groups.samples(of: group).lowerBound ? 0 : 1, c: target)
                    }
                }
            }
            if let partials {
                let pp = partials.pointer, pw = gw.data, count = groups.count
                Threading.parallelFor(size) { s, e in
                    for i in s..<e {
                        var acc = pp[i]
                        for group in 1..<count { acc += pp[group * size + i] }
                        pw[i] = acc
                    }
                }
            }
        }
        if let gx {
            // dcolumns = Wᵀ (C*kh*kw, O) x g_n (O, P), folded back onto the sample's image by col2im.
            samples.run { sample, columns in
                let gradient = UnsafePointer(g.data + sample * o * positions)
                let imageGrad = gx.data + sample * imageSize
                if let columns {
                    sgemm(transA: true, transB: false, m: rows, n: positions, k: o, a: weight.data, b: gradient, c: columns)
                    geometry.col2im(UnsafePointer(columns), into: imageGrad)
                } else {
                    sgemm(transA: true, transB: false, m: rows, n: positions, k: o, a: weight.data, b: gradient, c: imageGrad)
                }
            }
        }
        if let gw {
            if n == 0 { gw.data.update(repeating: 0, count: gw.count) }
            weight.accumulateGrad(gw)
        }
        if let gx { input.accumulateGrad(gx) }
        if let bias, bias.requiresGrad {
            let gb = Tensor(uninitializedShape: [o])
            let pg = UnsafePointer(g.data), pb = gb.data
            // Channels in parallel; each channel's sum runs over samples and positions in order.
            Threading.parallelFor(o, minimumPerThread: max(1, Threading.parallelThreshold / max(1, n * positions))) { s, e in
                for channel in s..<e {
                    var acc: Float = 0
                    for sample in 0..<n {
                        let plane = pg + (sample * o + channel) * positions
                        for p in 0..<positions { acc += plane[p] }
                    }
                    pb[channel] = acc
                }
            }
            bias.accumulateGrad(gb)
        }
    }
}
