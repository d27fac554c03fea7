import CBLAS
import Dispatch

/// Row-major SGEMM: `c = alpha * op(a) * op(b) + beta * c` with `op(a)` of shape (m, k) and `op(b)` (k, n).
///
/// `lda`, `ldb`, `ldc` default to the leading dimensions of densely stored operands.
///
/// Large products are cut into blocks of rows (or of columns, when `n` is the larger side), as many
/// as the shape calls for (``GEMMSplit``), each computed by a single-threaded OpenBLAS call on the
/// project's own worker threads, which take blocks as they become free. OpenBLAS's pool is kept at
/// one thread because its idle workers spin in `sched_yield` between calls, taking a core from the
/// elementwise loops that run between products (about a fifth of all CPU time in a self-supervised
/// search). The blocks depend on the shape only, so results do not depend on the thread count.
public func sgemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int? = nil,
    b: UnsafePointer<Float>, ldb: Int? = nil,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int? = nil
) {
    if m == 0 || n == 0 { return }
    let lda = lda ?? (transA ? m : k), ldb = ldb ?? (transB ? k : n), ldc = ldc ?? n
    let parts = GEMMSplit.parts(m: m, n: n, k: k)
    if parts <= 1 {
        singleThreadedSGEMM(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        return
    }
    let splitRows = m >= n
    let extent = splitRows ? m : n
    // Blocks are whole multiples of the kernels' register tile so no thread gets a ragged edge
    // in the middle of the matrix.
    let per = (extent + parts - 1) / parts
    let block = (per + GEMMSplit.tile - 1) / GEMMSplit.tile * GEMMSplit.tile
    let product = { (part: Int) in
        let start = part * block
        let end = min(extent, start + block)
        if start >= end { return }
        if splitRows {
            let aRows = transA ? a + start : a + start * lda
            singleThreadedSGEMM(transA, transB, end - start, n, k, alpha, aRows, lda, b, ldb, beta, c + start * ldc, ldc)
        } else {
            let bColumns = transB ? b + start * ldb : b + start
            singleThreadedSGEMM(transA, transB, m, end - start, k, alpha, a, lda, bColumns, ldb, beta, c + start, ldc)
        }
    }
    if Threading.threads <= 1 || !WorkerPool.shared.run(count: parts, helpers: Threading.threads - 1, product) {
        for part in 0..<parts { product(part) }
    }
}

private func singleThreadedSGEMM(
    _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
) {
    cblas_sgemm(
        CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// How ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` divides a product between threads.
enum GEMMSplit {
    /// Rows or columns per block are a multiple of this (the AVX-512 kernels' 16-wide tile, twice).
    static let tile = 32

    /// Below this many multiply-adds a product stays on the calling thread: waking a worker costs
    /// a few microseconds, as much as a product of this size takes.
    static let minimumWork = 1 << 18

    /// At most this many blocks: enough to keep 16 threads busy.
    static let maximumParts = 16

    /// Blocks are at least this many rows (or columns): each block's call packs the whole other
    /// operand again, which thin blocks pay for many times over (16 blocks of a 2048³ product ran
    /// SGEMM about 15 % slower at 2 threads than 2 blocks did).
    static let minimumExtent = 256

    /// The number of blocks. It depends on the shape only, never on the thread count: OpenBLAS
    /// computes a block differently depending on its size (small blocks take its small-matrix
    /// kernels, whose sums run in another order), so blocks cut per thread gave results that
    /// changed with `--threads`. With one thread the blocks simply run one after another.
    static func parts(m: Int, n: Int, k: Int) -> Int {
        if m * n * k < minimumWork { return 1 }
        return min(maximumParts, max(1, max(m, n) / minimumExtent))
    }
}
