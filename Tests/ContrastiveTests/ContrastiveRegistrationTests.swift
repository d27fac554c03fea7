import Contrastive
import FusionNAS
import Testing
import Tensors

extension ContrastiveTests {
    @Test func registersTheObjectivesAndAugmentationsByName() throws {
        let registry = ComponentRegistry()
        try ContrastiveComponents.register(in: registry)
        #expect(registry.names(of: .objective) == ["clip", "ntxent"])
        #expect(registry.names(of: .augmentation) == ["crop_flip", "feature_mask", "gaussian_noise", "mixing", "modality_drop"])
        #expect(registry.listing().allSatisfy { $0.origin == .builtIn("Contrastive") && !$0.summary.isEmpty })

        var rng = SeededGenerator(seed: 30)
        let ntxent = try registry.objective(named: "ntxent").make(ObjectiveConfiguration(options: ["temperature": 0.3]), &rng)
        #expect((ntxent as? NTXentLoss)?.temperature == 0.3)
        let clip = try registry.objective(named: "clip").make(ObjectiveConfiguration(), &rng)
        #expect(clip.requiredViews == .modalities)
        #expect(throws: ComponentError.self) {
            try registry.objective(named: "ntxent").make(ObjectiveConfiguration(options: ["temperature": 0]), &rng)
        }
        let mixing = try registry.augmentation(named: "mixing").make(["alpha": 0.1], &rng)
        #expect((mixing as? WithinBatchMixing)?.alpha == Float(0.1))
        let pipeline = AugmentationPipeline(components: try ["gaussian_noise", "modality_drop", "crop_flip"].map {
            try registry.augmentation(named: $0).make([:], &rng)
        })
        #expect(pipeline.perModality.map(\.name) == ["gaussian_noise", "crop_flip"])
        #expect(pipeline.multimodal.map(\.name) == ["modality_drop"])
    }

    @Test func aSecondRegistrationIsRefusedAndChangesNothing() throws {
        let registry = ComponentRegistry()
        try ContrastiveComponents.register(in: registry)
        let before = registry.listing().count
        #expect(throws: ComponentError.self) { try ContrastiveComponents.register(in: registry) }
        #expect(registry.listing().count == before)
    }
}
