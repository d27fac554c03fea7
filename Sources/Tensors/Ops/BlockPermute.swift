/// Swapping the two outer axes of a (A, B, L) block array, moving whole rows of L elements.
///
/// A short-sequence (B, C, L) feature map becomes (C, B, L), i.e. a (C, B·L) matrix, by copying
/// contiguous L-element rows; a kernel-size-1 convolution over the whole batch is then a single
/// GEMM with no element-wise transpose (see ``pointwiseConv1d(_:weight:bias:)``).

/// Writes `src` viewed as (outer, inner, length) to `dst` as (inner, outer, length); when
/// `outerBias` is given, adds `outerBias[o]` on the way to every element of source block row `o`.
///
/// Split across threads by destination rows; each element is written once, so the result does not
/// depend on the thread count.
func swapOuterAxes(
    _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, outer: Int, inner: Int, length: Int,
    outerBias: UnsafePointer<Float>? = nil
) {
    let total = outer * inner * length
    let rowsPerThread = max(1, Threading.parallelThreshold / max(outer * length, 1))
    Threading.parallelFor(inner, minimumPerThread: total >= Threading.parallelThreshold ? rowsPerThread : inner) { start, end in
        for i in start..<end {
            let target = dst + i * outer * length
            if let outerBias {
                for o in 0..<outer {
                    let s = src + (o * inner + i) * length, d = target + o * length, bias = outerBias[o]
                    for l in 0..<length { d[l] = s[l] + bias }
                }
            } else if length == 16 {
                // BM-NAS's L = 16: one 64-byte vector per row; a memmove call per row costs more than the copy.
                for o in 0..<outer {
                    let v = UnsafeRawPointer(src + (o * inner + i) * length).loadUnaligned(as: SIMD16<Float>.self)
                    UnsafeMutableRawPointer(target + o * length).storeBytes(of: v, as: SIMD16<Float>.self)
                }
            } else {
                for o in 0..<outer {
                    (target + o * length).update(from: src + (o * inner + i) * length, count: length)
                }
            }
        }
    }
}
