/// The output extent of a pooling window sliding over `extent` (floor mode, as PyTorch's default).
func pooledExtent(_ extent: Int, kernel: Int, stride: Int, padding: Int) -> Int {
    (extent + 2 * padding - kernel) / stride + 1
}

/// Checks the arguments shared by the fixed-window poolings and returns the stride to use.
func validatePooling(_ input: Tensor, kernel: Int, stride: Int?, padding: Int, op: String) -> Int {
    precondition(input.rank == 4, "\(op): expects input (N, C, H, W), got \(input.shape)")
    let stride = stride ?? kernel
    precondition(kernel >= 1 && stride >= 1, "\(op): kernel \(kernel) and stride \(stride) must be positive")
    precondition(
        padding >= 0 && padding <= kernel / 2,
        "\(op): padding \(padding) must be between 0 and half the kernel \(kernel)")
    precondition(
        input.shape[2] + 2 * padding >= kernel && input.shape[3] + 2 * padding >= kernel,
        "\(op): kernel \(kernel) is larger than the padded input \(input.shape) (padding \(padding))")
    return stride
}

/// Maximum over `kernel` x `kernel` windows of each (N, C) plane; padding counts as -infinity.
///
/// The gradient goes to the first maximal element of each window.
public func maxPool2d(_ input: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    let stride = validatePooling(input, kernel: kernel, stride: stride, padding: padding, op: "maxPool2d")
    // Padding counts as -infinity, so a window is its part inside the input.
    func windows(_ extent: Int) -> PoolingWindows {
        var windows = PoolingWindows()
        for i in 0..<pooledExtent(extent, kernel: kernel, stride: stride, padding: padding) {
            let start = i * stride - padding
            windows.append(start: Swift.max(start, 0), end: Swift.min(start + kernel, extent), divisor: 1)
        }
        return windows
    }
    return maxPool(input, rows: windows(input.shape[2]), columns: windows(input.shape[3]))
}

/// Maximum of each (N, C) plane over the product of row and column windows; the gradient goes to
/// the first maximal element of each window (summed where windows overlap).
func maxPool(_ input: Tensor, rows: PoolingWindows, columns: PoolingWindows) -> Tensor {
    let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let ho = rows.count, wo = columns.count
    let planes = n * c, planeIn = h * w, planeOut = ho * wo
    let out = Tensor(uninitializedShape: [n, c, ho, wo])
    // Flat index within the input plane of each output's maximum, for the backward pass.
    let winners = IndexBuffer(count: planes * planeOut)
    let px = UnsafePointer(input.data), po = out.data, pw = winners.pointer
    parallelItems(planes, workPerItem: Swift.max(planeIn, planeOut)) { s, e in
        for plane in s..<e {
            let src = px + plane * planeIn
            for oy in 0..<ho {
                let y0 = rows.starts[oy], y1 = rows.ends[oy]
                for ox in 0..<wo {
                    let x0 = columns.starts[ox], x1 = columns.ends[ox]
                    var best = -Float.infinity, bestIndex = y0 * w + x0
                    for y in y0..<y1 {
                        for x in x0..<x1 where src[y * w + x] > best {
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
        let gx = Tensor.zeros(input.shape)
        let pg = UnsafePointer(g.data), pgx = gx.data, pw = UnsafePointer(winners.pointer)
        parallelItems(planes, workPerItem: planeOut) { s, e in
            for plane in s..<e {
                let dst = pgx + plane * planeIn
                for j in plane * planeOut..<(plane + 1) * planeOut { dst[Int(pw[j])] += pg[j] }
            }
        }
        input.accumulateGrad(gx)
    }
}

/// Mean over `kernel` x `kernel` windows of each (N, C) plane. Zero padding is counted in the
/// denominator (PyTorch's default `count_include_pad=True`), so every window divides by kernel².
public func avgPool2d(_ input: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    let stride = validatePooling(input, kernel: kernel, stride: stride, padding: padding, op: "avgPool2d")
    func windows(_ extent: Int) -> PoolingWindows {
        let outputs = pooledExtent(extent, kernel: kernel, stride: stride, padding: padding)
        var windows = PoolingWindows()
        for i in 0..<outputs {
            let start = i * stride - padding
            windows.append(start: Swift.max(start, 0), end: Swift.min(start + kernel, extent), divisor: kernel)
        }
        return windows
    }
    return averagePool(input, rows: windows(input.shape[2]), columns: windows(input.shape[3]))
}

/// Mean over windows that split each (N, C) plane into `outputSize` cells, as PyTorch does:
/// cell `i` covers `floor(i * in / out) ..< ceil((i + 1) * in / out)`.
public func adaptiveAvgPool2d(_ input: Tensor, outputSize: (Int, Int)) -> Tensor {
    precondition(input.rank == 4, "adaptiveAvgPool2d: expects input (N, C, H, W), got \(input.shape)")
    precondition(
        outputSize.0 >= 1 && outputSize.1 >= 1,
        "adaptiveAvgPool2d: output size \(outputSize) must be positive (input \(input.shape))")
    return averagePool(
        input, rows: .adaptive(input.shape[2], outputSize.0), columns: .adaptive(input.shape[3], outputSize.1))
}

/// ``adaptiveAvgPool2d(_:outputSize:)`` for sequences: (N, C, L) to (N, C, outputSize).
public func adaptiveAvgPool1d(_ input: Tensor, outputSize: Int) -> Tensor {
    precondition(input.rank == 3, "adaptiveAvgPool1d: expects input (N, C, L), got \(input.shape)")
    precondition(outputSize >= 1, "adaptiveAvgPool1d: output size \(outputSize) must be positive (input \(input.shape))")
    let (n, c, l) = (input.shape[0], input.shape[1], input.shape[2])
    let image = input.reshaped([n, c, 1, l])
    let out = averagePool(image, rows: .adaptive(1, 1), columns: .adaptive(l, outputSize))
    return out.reshaped([n, c, outputSize])
}

/// The start, end and divisor of each pooling window along one axis.
struct PoolingWindows {
    var starts: [Int] = [], ends: [Int] = [], divisors: [Int] = []
    var count: Int { starts.count }

    mutating func append(start: Int, end: Int, divisor: Int) {
        starts.append(start)
        ends.append(end)
        divisors.append(divisor)
    }

    /// PyTorch's adaptive windows, each averaged over its own size.
    static func adaptive(_ extent: Int, _ outputs: Int) -> PoolingWindows {
        var windows = PoolingWindows()
        for i in 0..<outputs {
            let start = i * extent / outputs
            let end = ((i + 1) * extent + outputs - 1) / outputs
            windows.append(start: start, end: end, divisor: end - start)
        }
        return windows
    }
}

/// Averages each (N, C) plane over the product of row and column windows; the window at
/// (oy, ox) is divided by `rows.divisors[oy] * columns.divisors[ox]`.
func averagePool(_ input: Tensor, rows: PoolingWindows, columns: PoolingWindows) -> Tensor {
    let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let ho = rows.count, wo = columns.count
    let planes = n * c, planeIn = h * w, planeOut = ho * wo
    let out = Tensor(uninitializedShape: [n, c, ho, wo])
    let px = UnsafePointer(input.data), po = out.data
    parallelItems(planes, workPerItem: planeIn) { s, e in
        for plane in s..<e {
            let src = px + plane * planeIn
            for oy in 0..<ho {
                let y0 = rows.starts[oy], y1 = rows.ends[oy]
                for ox in 0..<wo {
                    let x0 = columns.starts[ox], x1 = columns.ends[ox]
                    var acc: Float = 0
                    for y in y0..<y1 {
                        let line = src + y * w
                        for x in x0..<x1 { acc += line[x] }
                    }
                    po[plane * planeOut + oy * wo + ox] = acc / Float(rows.divisors[oy] * columns.divisors[ox])
                }
            }
        }
    }
    return out.recorded(from: [input]) { g in
        let gx = Tensor.zeros(input.shape)
        let pg = UnsafePointer(g.data), pgx = gx.data
        parallelItems(planes, workPerItem: planeIn) { s, e in
            for plane in s..<e {
                let dst = pgx + plane * planeIn
                for oy in 0..<ho {
                    let y0 = rows.starts[oy], y1 = rows.ends[oy]
                    for ox in 0..<wo {
                        let x0 = columns.starts[ox], x1 = columns.ends[ox]
                        let share = pg[plane * planeOut + oy * wo + ox] / Float(rows.divisors[oy] * columns.divisors[ox])
                        for y in y0..<y1 {
                            let line = dst + y * w
                            for x in x0..<x1 { line[x] += share }
                        }
                    }
                }
            }
        }
        input.accumulateGrad(gx)
    }
}

/// An owned buffer of Int32 indices kept alive by the backward closure that reads it.
final class IndexBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int32>

    init(count: Int) { pointer = .allocate(capacity: Swift.max(count, 1)) }

    deinit { pointer.deallocate() }
}
