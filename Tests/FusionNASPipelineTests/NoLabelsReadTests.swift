import Contrastive
import FusionNAS
import FusionNASPipeline
import MultimodalData
import TestSupport
import Testing
import Tensors

/// The self-supervised search and pretraining must not read a single label.
@Suite struct NoLabelsReadTests {
    func configuration() -> PipelineConfiguration {
        var c = PipelineConfiguration()
        c.modalities = ["fou", "kar"]
        c.channels = 8
        c.length = 4
        c.searchEpochs = 2
        c.pretrainEpochs = 2
        c.batchSize = 64
        return c
    }

    /// Runs search and pretraining; returns the genotype, every trained tensor and the labelled-batch count.
    func searchAndPretrain(_ dataset: MultimodalDataset, encoderTraining: EncoderTraining) throws -> (Genotype, [[Float]], Int) {
        var c = configuration()
        c.encoderTraining = encoderTraining
        c.encoderEpochs = 2
        let registry = try bmnasRegistry()
        try ContrastiveComponents.register(in: registry)
        let pipeline = FusionPipeline(configuration: c, registry: registry, data: try PreparedData.prepare(dataset, configuration: c))
        let encoders = try pipeline.selfSupervisedEncoders()
        let genotype = try pipeline.selfSupervisedSearch(encoders: encoders).genotype
        let network = try pipeline.selfSupervisedPretraining(genotype: genotype, encoders: encoders)
        return (genotype, network.namedTensors().map(\.tensor.values), pipeline.data.source.labelledBatchesServed)
    }

    /// The same dataset with every label moved to another class: reading labels would change the result.
    func poisoned(_ dataset: MultimodalDataset) throws -> MultimodalDataset {
        guard case .multiClass(let classes, let names) = dataset.labels else { throw ComponentError("expected classes") }
        var copy = dataset
        copy.labels = .multiClass(classes.map { ($0 + 3) % names.count }, classNames: names)
        return copy
    }

    @Test(arguments: [EncoderTraining.joint, .pretrainedFrozen])
    func searchAndPretrainingReadNoLabel(encoderTraining: EncoderTraining) throws {
        let dataset = try EmbeddedDatasets.uciMFeat(modalities: ["fou", "kar"])
        let clean = try searchAndPretrain(dataset, encoderTraining: encoderTraining)
        let poison = try searchAndPretrain(try poisoned(dataset), encoderTraining: encoderTraining)
        #expect(clean.2 == 0, "labelled batches were served to search or pretraining")
        #expect(poison.2 == 0)
        #expect(clean.0 == poison.0, "the genotype depends on the labels")
        #expect(clean.1 == poison.1, "the pretrained weights depend on the labels")
    }
}
