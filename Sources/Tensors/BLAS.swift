import CBLAS

/// Row-major SGEMM: `c = alpha * op(a) * op(b) + beta * c` with `op(a)` of shape (m, k) and `op(b)` (k, n).
///
/// `lda`, `ldb`, `ldc` default to the leading dimensions of densely stored operands.
@inlinable
public func sgemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int? = nil,
    b: UnsafePointer<Float>, ldb: Int? = nil,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int? = nil
) {
    if m == 0 || n == 0 { return }
    cblas_sgemm(
        CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha,
        a, Int32(lda ?? (transA ? m : k)),
        b, Int32(ldb ?? (transB ? k : n)),
        beta, c, Int32(ldc ?? n))
}
