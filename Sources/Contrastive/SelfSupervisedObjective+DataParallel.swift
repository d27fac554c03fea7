import Tensors

/// Data parallelism inside the objective: with a ``SelfSupervisedObjective/communicator`` the
/// batch given to ``SelfSupervisedObjective/loss(network:batch:rng:)`` is the global one, the same
/// on every rank. The augmentations are drawn for all of it, as one process draws them, so no
/// rank's random stream depends on the split; then each rank keeps its own rows
/// (``Communicator/share(of:)``) for the network, whose cost dominates (its dropout masks drawn for
/// the global batch too, see ``BatchShard``), and the projections of every
/// rank are gathered with their gradient before the loss, so every anchor sees the negatives of the
/// whole global batch. Without a communicator both steps are the identity.
extension SelfSupervisedObjective {
    /// This rank's rows of each input tensor (B, ...).
    func ownRows(_ inputs: [[Tensor]]) -> [[Tensor]] {
        guard let communicator, let batch = inputs.first?.first?.shape.first else { return inputs }
        let rows = communicator.share(of: batch)
        return inputs.map { $0.map { $0.slice(axis: 0, start: rows.lowerBound, end: rows.upperBound) } }
    }

    /// This rank's rows of both views stacked as (2B, ...), view 1's rows then view 2's, and how
    /// many rows of each view it keeps.
    func ownRows(ofStackedViews stacked: [[Tensor]], batchSize: Int) -> (views: [[Tensor]], rows: Int) {
        guard let communicator else { return (stacked, batchSize) }
        let rows = communicator.share(of: batchSize)
        let own = stacked.map { levels in
            levels.map { tensor in
                Tensor.concat(
                    [
                        tensor.slice(axis: 0, start: rows.lowerBound, end: rows.upperBound),
                        tensor.slice(axis: 0, start: batchSize + rows.lowerBound, end: batchSize + rows.upperBound),
                    ], axis: 0)
            }
        }
        return (own, rows.count)
    }

    /// `body`, the network's pass over this rank's rows of a global batch of `batchSize` rows
    /// (`stackedViews` views stacked along the batch), with ``BatchShard/current`` saying which rows
    /// those are, so dropout draws the global batch's masks and keeps this rank's.
    func forOwnRows<R>(of batchSize: Int, stackedViews: Int = 1, _ body: () throws -> R) rethrows -> R {
        guard let communicator else { return try body() }
        return try communicator.shard(ofBatch: batchSize, stackedViews: stackedViews).withCurrent(body)
    }

    /// `embeddings` of every rank, in rank order, with the gradient flowing back to this rank's rows.
    func gathered(_ embeddings: Tensor) -> Tensor {
        guard let communicator else { return embeddings }
        return embeddings.gatheredRows(over: communicator)
    }
}
