/// The geometry of a 2-D sliding window over one (channels, height, width) image, and the
/// im2col / col2im transforms that turn a convolution into one matrix product.
///
/// The column matrix has one row per (channel, kernel row, kernel column) and one column per output
/// position, so `weight (O, C*kh*kw) x columns (C*kh*kw, Ho*Wo)` is the convolution of the image.
struct ConvolutionGeometry {
    let channels: Int, height: Int, width: Int
    let kernelHeight: Int, kernelWidth: Int
    let strideHeight: Int, strideWidth: Int
    let padHeight: Int, padWidth: Int

    var outputHeight: Int { (height + 2 * padHeight - kernelHeight) / strideHeight + 1 }
    var outputWidth: Int { (width + 2 * padWidth - kernelWidth) / strideWidth + 1 }
    var columnRows: Int { channels * kernelHeight * kernelWidth }
    var outputPositions: Int { outputHeight * outputWidth }
    var imageSize: Int { channels * height * width }

    /// A 1x1 kernel with unit stride and no padding reads the image itself as the column matrix.
    var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1 && padHeight == 0
            && padWidth == 0
    }

    /// The output columns `lo..<hi` whose input column `ox * stride - pad + kx` is inside the image.
    @inline(__always)
    func validOutputColumns(kx: Int) -> (lo: Int, hi: Int) {
        validRange(offset: kx - padWidth, stride: strideWidth, extent: width, outputs: outputWidth)
    }

    /// The output rows `lo..<hi` whose input row `oy * stride - pad + ky` is inside the image.
    @inline(__always)
    func validOutputRows(ky: Int) -> (lo: Int, hi: Int) {
        validRange(offset: ky - padHeight, stride: strideHeight, extent: height, outputs: outputHeight)
    }

    /// Outputs `o` with `0 <= o * stride + offset < extent`.
    @inline(__always)
    private func validRange(offset: Int, stride: Int, extent: Int, outputs: Int) -> (lo: Int, hi: Int) {
        let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let last = extent - 1 - offset
        let hi = last < 0 ? 0 : Swift.min(outputs, last / stride + 1)
        return (Swift.min(lo, hi), hi)
    }

    /// Fills `columns` (columnRows x outputPositions) from `image` (channels x height x width).
    func im2col(_ image: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>) {
        let kh = kernelHeight, kw = kernelWidth, ho = outputHeight, wo = outputWidth
        let sh = strideHeight, sw = strideWidth, ph = padHeight, pw = padWidth
        let h = height, w = width, positions = outputPositions
        parallelItems(columnRows, workPerItem: positions) { s, e in
            for row in s..<e {
                let c = row / (kh * kw), ky = (row / kw) % kh, kx = row % kw
                let dst = columns + row * positions
                let plane = image + c * h * w
                let (ylo, yhi) = validOutputRows(ky: ky)
                let (xlo, xhi) = validOutputColumns(kx: kx)
                dst.update(repeating: 0, count: ylo * wo)
                for oy in ylo..<yhi {
                    let out = dst + oy * wo
                    let src = plane + (oy * sh - ph + ky) * w + (kx - pw)
                    out.update(repeating: 0, count: xlo)
                    if sw == 1 {
                        (out + xlo).update(from: src + xlo, count: xhi - xlo)
                    } else {
                        for ox in xlo..<xhi { out[ox] = src[ox * sw] }
                    }
                    (out + xhi).update(repeating: 0, count: wo - xhi)
                }
                (dst + yhi * wo).update(repeating: 0, count: (ho - yhi) * wo)
            }
        }
    }

    /// Overwrites `image` with the sum of the column entries that each pixel contributed to
    /// (the adjoint of ``im2col(_:into:)``).
    func col2im(_ columns: UnsafePointer<Float>, into image: UnsafeMutablePointer<Float>) {
        let kh = kernelHeight, kw = kernelWidth, wo = outputWidth
        let sh = strideHeight, sw = strideWidth, ph = padHeight, pw = padWidth
        let h = height, w = width, positions = outputPositions
        // One channel per task: channels write disjoint planes.
        parallelItems(channels, workPerItem: kh * kw * positions) { s, e in
            for c in s..<e {
                let plane = image + c * h * w
                plane.update(repeating: 0, count: h * w)
                for ky in 0..<kh {
                    let (ylo, yhi) = validOutputRows(ky: ky)
                    for kx in 0..<kw {
                        let (xlo, xhi) = validOutputColumns(kx: kx)
                        let src = columns + ((c * kh + ky) * kw + kx) * positions
                        for oy in ylo..<yhi {
                            let row = src + oy * wo
                            let dst = plane + (oy * sh - ph + ky) * w + (kx - pw)
                            if sw == 1 {
                                for ox in xlo..<xhi { dst[ox] += row[ox] }
                            } else {
                                for ox in xlo..<xhi { dst[ox * sw] += row[ox] }
                            }
                        }
                    }
                }
            }
        }
    }
}
