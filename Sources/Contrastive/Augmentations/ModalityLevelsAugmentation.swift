import FusionNAS
import Tensors

/// A multimodal augmentation that knows a modality may arrive as several tensors (one per
/// precomputed feature level) and treats those levels together, as one modality.
///
/// ``AugmentationPipeline`` calls ``callAsFunction(modalities:rng:)`` on these; a plain
/// ``MultimodalAugmentation`` (e.g. from a plugin) receives every tensor of every modality as one
/// flat list instead.
public protocol ModalityLevelsAugmentation: MultimodalAugmentation {
    /// Transforms a batch given per modality as its tensors (each (batch, ...), one shared batch).
    func callAsFunction(modalities: [[Tensor]], rng: inout SeededGenerator) -> [[Tensor]]
}

extension ModalityLevelsAugmentation {
    /// Each tensor is its own modality.
    public func callAsFunction(_ batch: [Tensor], rng: inout SeededGenerator) -> [Tensor] {
        callAsFunction(modalities: batch.map { [$0] }, rng: &rng).map { $0[0] }
    }
}

/// The batch size shared by every tensor of `modalities`.
func sharedBatchSize(_ modalities: [[Tensor]], augmentation: String) -> Int {
    let sizes = Set(modalities.joined().map { $0.shape.first ?? 0 })
    precondition(sizes.count <= 1, "\(augmentation): the modalities' tensors have different batch sizes \(sizes.sorted())")
    return sizes.first ?? 0
}
