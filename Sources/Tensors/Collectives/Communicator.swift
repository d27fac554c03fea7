/// The collectives the distributed code needs, over a fixed group of ranks.
///
/// Every rank calls each collective in the same order with matching arguments (as in MPI); a rank
/// that skips one leaves the others waiting. It lives here, beside the tensors it moves, so that the
/// searcher and the objectives can take one without depending on MPI: `MPIWorld` (module
/// `MessagePassing`) implements it over `MPI_COMM_WORLD`, ``SingleProcess`` for one process, and
/// tests with threads.
public protocol Communicator: AnyObject {
    /// This process's index, `0..<size`.
    var rank: Int { get }
    /// The number of ranks.
    var size: Int { get }
    /// Every rank's `values`, concatenated in rank order, and how many each rank gave (ranks may
    /// give different counts).
    func allGather(_ values: UnsafeBufferPointer<Float>) -> (values: [Float], counts: [Int])
}

extension Communicator {
    /// Replaces `values` by their elementwise sum over the ranks, added in rank order 0, 1, ...,
    /// K - 1 on every rank: the same bits everywhere and from run to run, whichever algorithm the
    /// MPI library would pick for `MPI_Allreduce` (whose summation order is unspecified).
    ///
    /// Built on ``allGather(_:)``: K times the traffic of a reduction, negligible at the sizes of
    /// BM-NAS's supernets (tens of thousands of parameters). Every rank must pass the same count.
    public func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) {
        let (all, counts) = allGather(UnsafeBufferPointer(values))
        precondition(
            counts.allSatisfy { $0 == values.count },
            "allReduceSum: ranks gave different counts \(counts); every rank must reduce the same tensors")
        guard let target = values.baseAddress else { return }
        all.withUnsafeBufferPointer { source in
            let base = source.baseAddress!
            target.update(from: base, count: values.count)
            for r in 1..<max(1, counts.count) {
                let shard = base + r * values.count
                for i in 0..<values.count { target[i] += shard[i] }
            }
        }
    }
}

/// One process on its own: rank 0 of 1, every collective a copy. What distributed code runs with
/// when no MPI launcher started the process.
public final class SingleProcess: Communicator {
    public let rank = 0
    public let size = 1
    public init() {}
    public func allGather(_ values: UnsafeBufferPointer<Float>) -> (values: [Float], counts: [Int]) {
        (Array(values), [values.count])
    }
}

extension Communicator {
    /// Replaces each parameter's gradient by its mean over the ranks: the reduction of a
    /// data-parallel step, done as one ``allReduceSum(_:)`` of all gradients flattened in the order
    /// of `parameters` (every rank must list the same parameters in the same order, as
    /// `Module.parameters()` does). A missing gradient counts as zeros, so a rank whose shard did
    /// not reach a parameter still takes part. Parameters that do not require a gradient are left alone.
    public func averageGradients(of parameters: [Tensor]) {
        guard size > 1 else { return }
        // Frozen parameters (identical on every rank) keep no gradient; an optimizer skips them.
        let parameters = parameters.filter(\.requiresGrad)
        var flat = [Float](repeating: 0, count: parameters.reduce(0) { $0 + $1.count })
        var offset = 0
        for parameter in parameters {
            if let grad = parameter.grad {
                for i in 0..<grad.count { flat[offset + i] = grad.data[i] }
            }
            offset += parameter.count
        }
        flat.withUnsafeMutableBufferPointer { allReduceSum($0) }
        let scale = 1 / Float(size)
        offset = 0
        for parameter in parameters {
            let mean = Tensor(uninitializedShape: parameter.shape)
            for i in 0..<parameter.count { mean.data[i] = flat[offset + i] * scale }
            parameter.grad = mean
            offset += parameter.count
        }
    }
}

extension Communicator {
    /// This rank's contiguous share of `count` items (a global batch's rows): the first
    /// `count % size` ranks take one more, so every item is on exactly one rank, in rank order.
    public func share(of count: Int) -> Range<Int> {
        let base = count / size, extra = count % size
        let start = rank * base + Swift.min(rank, extra)
        return start..<(start + base + (rank < extra ? 1 : 0))
    }
}
