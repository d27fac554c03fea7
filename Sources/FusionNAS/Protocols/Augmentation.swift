import Tensors

/// A random transformation of a batch of one modality, used to make views for self-supervised losses.
///
/// It receives the modality's batch (batch, sampleShape...) and returns one of the same shape. It
/// must draw its randomness from `rng` so that runs are reproducible.
public protocol Augmentation: Sendable {
    /// A name for messages and configurations.
    var name: String { get }
    /// Whether this augmentation applies to a modality of the given sample shape.
    func applies(toSampleShape shape: [Int]) -> Bool
    /// Transforms the batch.
    func callAsFunction(_ batch: Tensor, rng: inout SeededGenerator) -> Tensor
}

/// An augmentation that acts on all modalities of a sample together (modality drop, within-batch mixing).
public protocol MultimodalAugmentation: Sendable {
    var name: String { get }
    func callAsFunction(_ batch: [Tensor], rng: inout SeededGenerator) -> [Tensor]
}
