import Layers
import Tensors

/// Softmax cross-entropy for multi-class tasks, BCE with logits for multi-label tasks, on the network's head.
public final class SupervisedObjective: TrainingObjective {
    public let name = "supervised"
    public let readsLabels = true
    public let task: TaskKind
    /// Set for a data-parallel step: the batch given to ``loss(network:batch:rng:)`` is the global
    /// one and the network runs on this rank's rows only (see SupervisedObjective+DataParallel.swift).
    public var communicator: (any Communicator)?

    public init(task: TaskKind) { self.task = task }

    public var parameters: [Tensor] { [] }

    public func loss(network: MultimodalNetwork, batch: Batch, rng: inout SeededGenerator) throws -> Tensor {
        guard let targets = batch.targets else {
            throw ComponentError("supervised objective: the batch has no labels")
        }
        let logits = globalLogits(network: network, inputs: batch.inputs)
        switch targets {
        case .classes(let labels): return softmaxCrossEntropy(logits: logits, labels: labels)
        case .multiLabel(let t): return binaryCrossEntropyWithLogits(logits: logits, targets: t)
        }
    }
}
