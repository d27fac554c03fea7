import Foundation
import Synchronization

/// The threads behind ``Threading/parallelFor(_:minimumPerThread:_:)`` and the split products.
///
/// A training step of a BM-NAS-sized search runs several hundred short parallel loops, each a few
/// hundred microseconds. Through Dispatch every loop woke a sleeping worker and put it back to
/// sleep (about 900 context switches per step), and the wake-up latency sat on the critical path.
/// These workers spin on a generation counter for a while after each loop, so the next loop starts
/// at once, and sleep only after about 50 microseconds of idleness. With at most one thread per core
/// (the caller plus `threads - 1` workers) the spinning takes no core from useful work.
///
/// One loop runs at a time. A loop started while another is running (from inside a loop body, or
/// from a second caller thread such as a concurrently running test) runs on its caller instead,
/// chunk by chunk in order, so it computes exactly what the parallel run would.
final class WorkerPool: @unchecked Sendable {
    /// One parallel loop: chunks are claimed from `next` by every thread until none is left.
    final class Job: @unchecked Sendable {
        /// Cleared by the caller once every chunk has finished, before the caller returns.
        var body: ((Int) -> Void)?
        let count: Int
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)

        init(count: Int, body: @escaping (Int) -> Void) {
            self.count = count
            self.body = body
        }

        func work() {
            while true {
                let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if chunk >= count { return }
                body!(chunk)
                done.wrappingAdd(1, ordering: .releasing)
            }
        }
    }

    static let shared = WorkerPool()

    /// Checks of the counter by an idle worker before it sleeps (about 50 microseconds here).
    private static let spinsBeforeSleeping = 200_000

    private let generation = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let jobLock = NSLock()
    private var current: Job?
    private let wake = NSCondition()
    private let startLock = NSLock()
    private var started = 0

    /// Runs `body(0) ... body(count - 1)` on the caller and up to `helpers` workers.
    /// Returns false, having run nothing, when a loop is already running.
    func run(count: Int, helpers: Int, _ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        startWorkers(helpers)
        withoutActuallyEscaping(body) { body in
            let job = Job(count: count, body: body)
            jobLock.withLock { current = job }
            generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                wake.lock()
                wake.broadcast()
                wake.unlock()
            }
            job.work()
            while job.done.load(ordering: .acquiring) < count {}
            jobLock.withLock { current = nil }
            // Every call of the body has returned; no worker can claim another chunk of this job.
            job.body = nil
        }
        return true
    }

    private func startWorkers(_ wanted: Int) {
        startLock.withLock {
            while started < wanted {
                started += 1
                let thread = Thread { [self] in workerLoop() }
                thread.name = "fusionnas-worker-\(started)"
                thread.start()
            }
        }
    }

    private func workerLoop() {
        var seen = generation.load(ordering: .acquiring)
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < Self.spinsBeforeSleeping { continue }
                wake.lock()
                sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
                while generation.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
                sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                wake.unlock()
                spins = 0
            }
            seen = generation.load(ordering: .acquiring)
            jobLock.withLock { current }?.work()
        }
    }
}
