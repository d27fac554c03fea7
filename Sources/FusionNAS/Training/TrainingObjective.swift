import Layers
import Tensors

/// What the searcher and the trainer minimise: a loss of the network on a batch.
///
/// The supervised objective reads labels; the self-supervised objectives never do (their batches
/// arrive without targets). The searcher takes any value of this protocol, so swapping supervised
/// for self-supervised search changes nothing else.
public protocol TrainingObjective: AnyObject {
    /// A name for logs.
    var name: String { get }
    /// Whether batches must carry labels.
    var readsLabels: Bool { get }
    /// Parameters the objective owns (projection heads, a learnable temperature), trained with the weights.
    var parameters: [Tensor] { get }
    /// Modules the objective owns, so train/eval mode reaches them.
    var modules: [Module] { get }
    /// The loss on one batch. Randomness (augmentations) comes from `rng`.
    func loss(network: MultimodalNetwork, batch: Batch, rng: inout SeededGenerator) throws -> Tensor
}

extension TrainingObjective {
    public var modules: [Module] { [] }
}
