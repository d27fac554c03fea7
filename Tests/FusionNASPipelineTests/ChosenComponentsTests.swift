import BMNAS
import Contrastive
import FusionNAS
import FusionNASPipeline
import Synchronization
import TestSupport
import Testing
import Tensors

/// A search space, an encoder and an augmentation registered from outside the core (as a plugin registers them) are
/// the ones the pipeline uses when the configuration names them.
@Suite struct ChosenComponentsTests {
    /// BM-NAS's space under another name, counting the supernets it builds.
    final class Count: Sendable {
        let value = Mutex(0)
    }

    struct CountingSpace: SearchSpace {
        let built = Count()
        var name: String { "counting" }
        func makeSupernet(
            _ configuration: SearchSpaceConfiguration, registry: ComponentRegistry, rng: inout SeededGenerator
        ) throws -> any Supernet {
            built.value.withLock { $0 += 1 }
            return try FusionNASSearchSpace().makeSupernet(configuration, registry: registry, rng: &rng)
        }
        func makeNetwork(
            genotype: Genotype, configuration: SearchSpaceConfiguration, registry: ComponentRegistry,
            rng: inout SeededGenerator
        ) throws -> any FusionBody {
            try FusionNASSearchSpace().makeNetwork(genotype: genotype, configuration: configuration, registry: registry, rng: &rng)
        }
    }

    @Test func theNamedSearchSpaceAndEncoderAreUsed() throws {
        let registry = try bmnasRegistry()
        try ContrastiveComponents.register(in: registry)
        let space = CountingSpace()
        try registry.register(searchSpace: SearchSpaceEntry(space: space, origin: .plugin("test"), summary: "counting"))
        let encoderBuilds = Mutex([String]())
        let mlp = try registry.encoder(named: "mlp")
        try registry.register(encoder: EncoderFactory(name: "counting-mlp", origin: .plugin("test")) { configuration, rng in
            encoderBuilds.withLock { $0.append(configuration.modality) }
            return try mlp.make(configuration, &rng)
        })
        let augmentationBuilds = Mutex([[String: Double]]())
        try registry.register(augmentation: AugmentationFactory(name: "counting_noise", origin: .plugin("test")) { options, _ in
            augmentationBuilds.withLock { $0.append(options) }
            return try GaussianNoise(options: options)
        })
        var c = smallPipelineConfiguration()
        c.searchSpace = "counting"
        c.encoders = ["kar": "counting-mlp"]
        c.augmentations = [AugmentationChoice(name: "counting_noise", options: ["std": 0.05])]
        let pipeline = FusionPipeline(configuration: c, registry: registry, data: try PreparedData.load(c))
        _ = try pipeline.selfSupervisedSearch(encoders: try pipeline.selfSupervisedEncoders())
        #expect(space.built.value.withLock { $0 } == 1)
        #expect(encoderBuilds.withLock { $0 } == ["kar"])
        #expect(augmentationBuilds.withLock { $0 } == [["std": 0.05]])
    }

    @Test func anEncoderForAModalityTheDataLacksIsRefusedByName() throws {
        var c = smallPipelineConfiguration()
        c.encoders = ["pixels": "mlp"]
        let pipeline = FusionPipeline(configuration: c, registry: try bmnasRegistry(), data: try PreparedData.load(c))
        var rng = SeededGenerator(seed: 0)
        #expect {
            _ = try pipeline.makeEncoders(rng: &rng)
        } throws: { error in
            "\(error)".contains("'pixels'") && "\(error)".contains("fou, kar")
        }
    }
}
