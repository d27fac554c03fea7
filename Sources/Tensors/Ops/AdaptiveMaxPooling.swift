/// Maximum over windows that split each (N, C) plane into `outputSize` cells, as PyTorch's
/// `AdaptiveMaxPool2d`: cell `i` covers `floor(i * in / out) ..< ceil((i + 1) * in / out)`, so an
/// output larger than the input repeats input elements (a 1 x 1 plane becomes a constant one).
///
/// The gradient goes to the first maximal element of each window (summed where windows overlap).
public func adaptiveMaxPool2d(_ input: Tensor, outputSize: (Int, Int)) -> Tensor {
    precondition(input.rank == 4, "adaptiveMaxPool2d: expects input (N, C, H, W), got \(input.shape)")
    precondition(
        outputSize.0 >= 1 && outputSize.1 >= 1,
        "adaptiveMaxPool2d: output size \(outputSize) must be positive (input \(input.shape))")
    let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let rows = PoolingWindows.adaptive(h, outputSize.0), columns = PoolingWindows.adaptive(w, outputSize.1)
    let ho = rows.count, wo = columns.count
    let planes = n * c, planeIn = h * w, planeOut = ho * wo
    let out = Tensor(uninitializedShape: [n, c, ho, wo])
    // Flat index within the input plane of each output's maximum, for the backward pass.
    let winners = IndexBuffer(count: planes * planeOut)
    let px = UnsafePointer(input.data), po = out.data, pw = winners.pointer
    parallelItems(planes, workPerItem: planeIn) { s, e in
        for plane in s..<e {
            let src = px + plane * planeIn
            for oy in 0..<ho {
                for ox in 0..<wo {
                    var bestIndex = rows.starts[oy] * w + columns.starts[ox], best = -Float.infinity
                    for y in rows.starts[oy]..<rows.ends[oy] {
                        for x in columns.starts[ox]..<columns.ends[ox] where src[y * w + x] > best {
                            best = src[y * w + x]
                            bestIndex = y * w + x
                        }
                    }
                    let j = plane * planeOut + oy * wo + ox
                    po[j] = src[bestIndex]  // also right for windows of NaN or -infinity only
                    pw[j] = Int32(truncatingIfNeeded: bestIndex)
                }
            }
        }
    }
    return out.recorded(from: [input]) { g in
        input.accumulateGrad(gradientToWinners(g, winners: winners, inputShape: input.shape, planeOut: planeOut))
    }
}
