import FusionNAS
import Tensors

/// Registers the contrastive objectives and the feature augmentations, exactly as a plugin would.
///
/// Objectives: `ntxent` (SimCLR NT-Xent; option `temperature`, default 0.2) and `clip` (symmetric
/// InfoNCE over modalities and the fused embedding; options `temperature` 0.07 or `logit_scale`,
/// `learnable_scale` 1). Augmentations: `gaussian_noise` (`std` 0.1), `feature_mask`
/// (`probability` 0.2), `crop_flip` (`min_scale` 0.7, `max_scale` 1, `flip_probability` 0.5,
/// `bilinear` 1), `modality_drop` (`probability` 0.1), `mixing` (`alpha` 0.2).
public enum ContrastiveComponents {
    public static let origin = ComponentOrigin.builtIn("Contrastive")

    public static func register(in registry: ComponentRegistry) throws {
        let objectives: [ObjectiveFactory] = [
            ObjectiveFactory(name: "ntxent", origin: origin, summary: "SimCLR NT-Xent over two augmented views; option temperature (0.2)") { c, _ in
                try NTXentLoss(configuration: c)
            },
            ObjectiveFactory(name: "clip", origin: origin, summary: "CLIP symmetric InfoNCE over modalities and the fused embedding, learnable logit scale; options temperature (0.07), learnable_scale (1)") { c, _ in
                try CLIPInfoNCELoss(configuration: c)
            },
        ]
        let augmentations: [AugmentationFactory] = [
            AugmentationFactory(name: "gaussian_noise", origin: origin, summary: "adds N(0, std²) noise; option std (0.1)") { o, _ in
                try GaussianNoise(options: o)
            },
            AugmentationFactory(name: "feature_mask", origin: origin, summary: "zeroes each feature with a probability; option probability (0.2)") { o, _ in
                try FeatureMasking(options: o)
            },
            AugmentationFactory(name: "crop_flip", origin: origin, summary: "random resized crop and horizontal flip of images; options min_scale (0.7), max_scale (1), flip_probability (0.5), bilinear (1)") { o, _ in
                try RandomResizedCropAndFlip(options: o)
            },
            AugmentationFactory(name: "modality_drop", origin: origin, summary: "zeroes a whole modality of a sample, never all; option probability (0.1)") { o, _ in
                try ModalityDrop(options: o)
            },
            AugmentationFactory(name: "mixing", origin: origin, summary: "mixes each sample with another of the batch, λ ~ U(0, alpha); option alpha (0.2)") { o, _ in
                try WithinBatchMixing(options: o)
            },
        ]
        // All or nothing: a clash on any name leaves the registry unchanged.
        try registry.checkAvailable(
            objectives.map { (.objective, $0.name) } + augmentations.map { (.augmentation, $0.name) }, origin: origin)
        for objective in objectives { try registry.register(objective: objective) }
        for augmentation in augmentations { try registry.register(augmentation: augmentation) }
    }
}
