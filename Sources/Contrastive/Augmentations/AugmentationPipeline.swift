import FusionNAS
import Tensors

/// How one view of a batch is made: multimodal augmentations over all modalities, then
/// per-modality augmentations on every tensor they apply to.
///
/// Inputs are given per modality: one tensor for a raw modality, one per level for precomputed
/// features. Every draw comes from the `rng` passed in, in a fixed order (multimodal augmentations
/// in order, then modality by modality, tensor by tensor, augmentation by augmentation; consecutive
/// ``ElementwiseAugmentation``s share one pass and its block generators), so a seed reproduces the
/// views exactly.
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
        return modalities.map { tensors in tensors.map { tensor in augmentOne(tensor, rng: &rng) } }
    }

    /// `count` views of `inputs` stacked along the batch axis: the same values as `count` calls
    /// followed by concatenating each tensor's views, made without the separate copies when every
    /// augmentation that applies is elementwise (then each view is written straight into its place).
    public func stackedViews(_ inputs: [[Tensor]], count: Int, rng: inout SeededGenerator) -> [[Tensor]] {
        let chains = inputs.map { $0.map { elementwiseChain(forSampleShape: Array($0.shape.dropFirst())) } }
        guard multimodal.isEmpty, chains.joined().allSatisfy({ $0 != nil }) else {
            let views = (0..<count).map { _ in self(inputs, rng: &rng) }
            return inputs.indices.map { m in
                inputs[m].indices.map { t in Tensor.concat(views.map { $0[m][t] }, axis: 0) }
            }
        }
        let stacked = inputs.map { tensors in
            tensors.map { Tensor(uninitializedShape: [$0.shape[0] * count] + $0.shape.dropFirst()) }
        }
        for view in 0..<count {
            for (m, tensors) in inputs.enumerated() {
                for (t, tensor) in tensors.enumerated() {
                    let target = stacked[m][t].data + view * tensor.count
                    applyElementwise(chains[m][t]!, from: UnsafePointer(tensor.data), to: target, count: tensor.count, rng: &rng)
                }
            }
        }
        return stacked
    }

    /// The augmentations for a sample shape as one elementwise pass, or nil when one of them is not elementwise.
    func elementwiseChain(forSampleShape shape: [Int]) -> [any ElementwiseAugmentation]? {
        let stages = stages(forSampleShape: shape)
        switch stages.first {
        case nil: return []
        case .elementwise(let chain)? where stages.count == 1: return chain
        default: return nil
        }
    }

    /// One step of a tensor's per-modality augmentations: a single augmentation, or a run of
    /// consecutive elementwise ones done in one pass.
    enum Stage {
        case single(any Augmentation)
        case elementwise([any ElementwiseAugmentation])
    }

    /// The per-modality augmentations that apply to a sample shape, consecutive elementwise ones grouped.
    func stages(forSampleShape shape: [Int]) -> [Stage] {
        var stages: [Stage] = []
        for augmentation in perModality where augmentation.applies(toSampleShape: shape) {
            if let elementwise = augmentation as? any ElementwiseAugmentation {
                if case .elementwise(let chain)? = stages.last {
                    stages[stages.count - 1] = .elementwise(chain + [elementwise])
                } else {
                    stages.append(.elementwise([elementwise]))
                }
            } else {
                stages.append(.single(augmentation))
            }
        }
        return stages
    }

    func augmentOne(_ tensor: Tensor, rng: inout SeededGenerator) -> Tensor {
        stages(forSampleShape: Array(tensor.shape.dropFirst())).reduce(tensor) { x, stage in
            switch stage {
            case .single(let augmentation): return augmentation(x, rng: &rng)
            case .elementwise(let chain):
                let out = Tensor(uninitializedShape: x.shape)
                applyElementwise(chain, from: UnsafePointer(x.data), to: out.data, count: x.count, rng: &rng)
                return out
            }
        }
    }
}
