import Contrastive
import FusionNAS
import FusionNASPipeline
import TestSupport
import Testing
import Tensors

/// What each fine-tuning mode trains.
@Suite struct FineTuningTests {
    func pipeline() throws -> FusionPipeline {
        var c = PipelineConfiguration()
        c.modalities = ["fou", "kar"]
        c.channels = 8
        c.length = 4
        c.finetuneEpochs = 20
        c.labelFraction = 0.2
        let registry = try bmnasRegistry()
        try ContrastiveComponents.register(in: registry)
        return FusionPipeline(configuration: c, registry: registry, data: try PreparedData.load(c))
    }

    let genotype = Genotype(
        searchSpace: "fusionnas", inputs: ["fou.0", "fou.1", "kar.0", "kar.1"],
        cells: [
            CellGenotype(inputs: [0, 2], steps: [StepGenotype(inputs: [0, 1], primitive: "concat_fc")]),
            CellGenotype(inputs: [4, 3], steps: [StepGenotype(inputs: [0, 1], primitive: "sum")]),
        ])

    @Test(arguments: [FineTuning.full, .linearProbe, .probeThenFull])
    func modeTrainsWhatItSays(_ mode: FineTuning) throws {
        let pipeline = try pipeline()
        var rng = SeededGenerator(seed: 1)
        let network = try pipeline.makeFoundNetwork(genotype: genotype, encoders: try pipeline.makeEncoders(rng: &rng), rng: &rng)
        let before = network.namedTensors().filter { $0.tensor.requiresGrad }.map { ($0.name, $0.tensor.values) }
        _ = try pipeline.fineTune(network: network, mode: mode, stage: Stage("finetune", streams: [.head: 3, .training: 4, .probe: 5]))
        let after = Dictionary(uniqueKeysWithValues: network.namedTensors().map { ($0.name, $0.tensor.values) })
        let bodyChanged = before.contains { name, values in after[name] != values }
        #expect(network.head != nil)
        #expect(bodyChanged == (mode != .linearProbe), "\(mode): body changed = \(bodyChanged)")
        let test = pipeline.evaluate(network: network, threshold: nil).test
        #expect(test.metric == "accuracy" && test.value > 0.2, "\(mode): \(test.value) is not above chance")
    }
}
