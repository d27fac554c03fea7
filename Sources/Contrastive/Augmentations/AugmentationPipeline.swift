import FusionNAS
import Tensors

/// How one view of a batch is made: multimodal augmentations over all modalities, then
/// per-modality augmentations on every tensor they apply to.
///
/// Inputs are given per modality: one tensor for a raw modality, one per level for precomputed
/// features. Every draw comes from the `rng` passed in, in a fixed order (multimodal augmentations
/// in order, then modality by modality, tensor by tensor, augmentation by augmentation), so a seed
/// reproduces the views exactly.
///
/// ```swift
/// let pipeline = AugmentationPipeline.default
/// let view = pipeline(batch.inputs, rng: &rng)
/// ```
public struct AugmentationPipeline: Sendable {
    /// Applied to every tensor whose sample shape they accept (``Augmentation/applies(toSampleShape:)``).
    public var perModality: [any Augmentation]
    /// Applied first, across modalities. A ``ModalityLevelsAugmentation`` sees each modality's levels
    /// together; any other ``MultimodalAugmentation`` receives all tensors as one flat list.
    public var multimodal: [any MultimodalAugmentation]

    public init(perModality: [any Augmentation] = [], multimodal: [any MultimodalAugmentation] = []) {
        self.perModality = perModality
        self.multimodal = multimodal
    }

    /// Sorts registry-built augmentations: those that are also ``MultimodalAugmentation``s (modality
    /// drop, mixing) act across modalities, the others per modality.
    public init(components: [any Augmentation]) {
        var perModality: [any Augmentation] = []
        var multimodal: [any MultimodalAugmentation] = []
        for component in components {
            if let across = component as? any MultimodalAugmentation {
                multimodal.append(across)
            } else {
                perModality.append(component)
            }
        }
        self.init(perModality: perModality, multimodal: multimodal)
    }

    /// The identity: views equal the input.
    public static let none = AugmentationPipeline()

    /// The defaults for the embedded data: Gaussian noise (std 0.1) and feature masking (p 0.2) on
    /// every modality, and a 0.7-1.0 random resized crop on image modalities. The flip is off because
    /// the embedded images are handwritten digits, which mirroring turns into non-digits.
    public static let `default` = AugmentationPipeline(perModality: [
        RandomResizedCropAndFlip(flipProbability: 0),
        GaussianNoise(),
        FeatureMasking(),
    ])

    /// One augmented view of `inputs` (per modality, its tensors, each (batch, ...)).
    public func callAsFunction(_ inputs: [[Tensor]], rng: inout SeededGenerator) -> [[Tensor]] {
        var modalities = inputs
        for augmentation in multimodal {
            if let grouped = augmentation as? any ModalityLevelsAugmentation {
                modalities = grouped(modalities: modalities, rng: &rng)
            } else {
                let counts = modalities.map(\.count)
                var flat = augmentation(Array(modalities.joined()), rng: &rng)[...]
                precondition(
                    flat.count == counts.reduce(0, +),
                    "AugmentationPipeline: '\(augmentation.name)' returned \(flat.count) tensors for \(counts.reduce(0, +))")
                modalities = counts.map { count in
                    defer { flat = flat.dropFirst(count) }
                    return Array(flat.prefix(count))
                }
            }
        }
        return modalities.map { tensors in
            tensors.map { tensor in
                let sampleShape = Array(tensor.shape.dropFirst())
                return perModality.reduce(tensor) { x, augmentation in
                    augmentation.applies(toSampleShape: sampleShape) ? augmentation(x, rng: &rng) : x
                }
            }
        }
    }
}
