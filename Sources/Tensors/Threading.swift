import CBLAS
import Dispatch
import Foundation

/// The one setting that controls threads: the size of the project's worker pool, which runs the
/// parallel loops and the blocks products are cut into. OpenBLAS itself is kept single-threaded.
public enum Threading {
    nonisolated(unsafe) private static var current = ProcessInfo.processInfo.activeProcessorCount

    /// The number of threads in use (default: all cores).
    public static var threads: Int {
        keepOpenBLASSingleThreaded
        return current
    }

    /// Sets the thread count for the parallel loops and for the blocks products are cut into.
    public static func setThreads(_ n: Int) {
        precondition(n >= 1, "threads must be at least 1, got \(n)")
        current = n
        keepOpenBLASSingleThreaded
    }

    /// OpenBLAS runs every call on the calling thread; ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``
    /// spreads products over the threads itself (see there for why).
    @usableFromInline static let keepOpenBLASSingleThreaded: Void = openblas_set_num_threads(1)

    /// Below this many elements a loop runs on the calling thread: spreading it costs more than it saves.
    public static let parallelThreshold = 1 << 16

    /// Runs `body(start, end)` over `0..<count` split into contiguous chunks, one per thread.
    ///
    /// The split depends only on `count` and ``threads``, so results that combine chunks in a fixed
    /// order are reproducible for a given thread count.
    public static func parallelFor(_ count: Int, minimumPerThread: Int = parallelThreshold, _ body: (Int, Int) -> Void) {
        let chunks = min(threads, max(1, count / max(minimumPerThread, 1)))
        if chunks <= 1 {
            body(0, count)
            return
        }
        let per = (count + chunks - 1) / chunks
        withoutActuallyEscaping(body) { body in
            let chunk = { (c: Int) in
                let start = c * per
                let end = Swift.min(count, start + per)
                if start < end { body(start, end) }
            }
            if !WorkerPool.shared.run(count: chunks, helpers: threads - 1, chunk) {
                for c in 0..<chunks { chunk(c) }
            }
        }
    }
}

/// Carries a value into concurrently running code whose accesses the caller keeps disjoint.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    @inlinable public init(_ value: Value) { self.value = value }
}
