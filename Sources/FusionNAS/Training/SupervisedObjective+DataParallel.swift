import Tensors

/// Data parallelism inside the supervised objective, as the self-supervised one does it: with a
/// ``SupervisedObjective/communicator`` each rank runs the network on its contiguous share of the
/// global batch's rows (``Communicator/share(of:)``), dropout masks drawn for the whole batch
/// (``BatchShard``), and the logits of every rank are gathered with their gradient before the loss.
///
/// Every rank then computes the loss of the whole global batch: the cross-entropy's mean is over
/// the global rows however unequal the shards, and the loss is one process's loss on the same
/// logits. The gather's backward pass gives each rank's rows K times their share of the gradient,
/// which the rank average of the parameter gradients (``Communicator/averageGradients(of:)``)
/// brings back to one process's gradient. The logits are (B, classes): gathering them costs
/// next to nothing.
extension SupervisedObjective {
    /// The network's logits for the global batch `inputs` (B, ...): computed here, or from this
    /// rank's rows and gathered over the ranks.
    func globalLogits(network: MultimodalNetwork, inputs: [[Tensor]]) -> Tensor {
        guard let communicator, let rows = inputs.first?.first?.shape.first else { return network(inputs) }
        let shard = communicator.shard(ofBatch: rows)
        let own = shard.ownRows[0]
        let ownInputs = inputs.map { $0.map { $0.slice(axis: 0, start: own.lowerBound, end: own.upperBound) } }
        return shard.withCurrent { network(ownInputs) }.gatheredRows(over: communicator)
    }
}
