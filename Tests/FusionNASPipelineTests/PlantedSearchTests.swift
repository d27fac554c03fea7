import BMNAS
import Foundation
import FusionNAS
import FusionNASPipeline
import Layers
import MultimodalData
import TestSupport
import Testing
import Tensors

/// Supervised search on data whose label is a dot product of one level of `a` and one level of `b`
/// (plus an additive level and noise levels; see `SyntheticData.plantedInteraction`).
func plantedSearch(seed: UInt64, primitives: [String], epochs: Int = 20) throws -> (genotype: Genotype, weights: [String: [Float]]) {
    let dataset = SyntheticData.plantedInteraction(samples: 2000, levels: 3, dims: 4, noise: 0.05, seed: 11)
    let source = DatasetSource(dataset: dataset)
    let registry = try bmnasRegistry()
    var rng = SeededGenerator(seed: seed)
    let encoders: [any ModalityEncoder] = try (0..<2).map { i in
        let (name, configuration) = source.encoderConfiguration(modality: i)
        return try registry.encoder(named: name).make(configuration, &rng)
    }
    // L = 1: the reshaping pools each level to its per-feature means, which the label is planted on.
    let configuration = SearchSpaceConfiguration(
        inputNames: ["a.0", "a.1", "a.2", "b.0", "b.1", "b.2"], inputShapes: encoders.flatMap(\.levelShapes),
        channels: 16, length: 1, cells: 1, steps: 1, dropout: 0, primitives: primitives)
    let supernet = try FusionNASSearchSpace().makeSupernet(configuration, registry: registry, rng: &rng)
    let network = MultimodalNetwork(encoders: encoders, body: supernet)
    network.attachHead(outputs: 2, rng: &rng)
    var settings = SearchSettings()
    settings.epochs = epochs
    settings.batchSize = 64
    settings.weightLearningRate = 3e-3
    // BM-NAS's 3e-4 needs hundreds of epochs to move the mixtures; this test has 20.
    settings.architectureLearningRate = 1e-2
    let (train, heldOut) = PreparedData.halves(dataset.split.train, seed: seed)
    let search = try ArchitectureSearch(
        network: network, supernet: supernet, objective: SupervisedObjective(task: source.task), source: source,
        trainIndices: train, heldOutIndices: heldOut, settings: settings, seed: seed)
    _ = try search.run()
    return (search.best!.genotype, supernet.architectureWeights())
}

@Suite struct PlantedSearchTests {
    static let planted = SyntheticData.plantedLevels(levels: 3)
    /// a.1 and b.0 as global input nodes.
    static let plantedInputs = Set([planted.a, 3 + planted.b])

    @Test(arguments: [1, 2, 3] as [UInt64])
    func searchPicksPlantedInputsAndMultiplicativeOverSum(seed: UInt64) throws {
        let (genotype, weights) = try plantedSearch(seed: seed, primitives: ["zero", "sum", "low_rank_tensor"])
        #expect(Set(genotype.cells[0].inputs) == Self.plantedInputs, "genotype \(genotype), weights \(weights)")
        #expect(genotype.cells[0].steps[0].primitive == "low_rank_tensor", "genotype \(genotype), weights \(weights)")
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func withBMNASPrimitivesTheMultiplicativeOneStillOutweighsSum(seed: UInt64) throws {
        let primitives = ["zero", "sum", "concat_fc", "low_rank_tensor"]
        let (genotype, weights) = try plantedSearch(seed: seed, primitives: primitives)
        #expect(Set(genotype.cells[0].inputs) == Self.plantedInputs, "genotype \(genotype), weights \(weights)")
        let gamma = weights["cell0.step0.primitive"]!
        #expect(gamma[3] > gamma[1], "low_rank_tensor should outweigh sum: \(gamma)")
    }

    @Test func sameSeedSameGenotypeAndWeights() throws {
        let first = try plantedSearch(seed: 4, primitives: ["zero", "sum", "low_rank_tensor"], epochs: 2)
        let second = try plantedSearch(seed: 4, primitives: ["zero", "sum", "low_rank_tensor"], epochs: 2)
        #expect(first.genotype == second.genotype)
        #expect(first.weights == second.weights)
    }
}

@Suite struct SecondOrderSearchTests {
    /// One second-order epoch runs, moves the architecture differently from first order, and is reproducible.
    @Test func secondOrderDiffersFromFirstOrderAndIsDeterministic() throws {
        func search(secondOrder: Bool) throws -> [Float] {
            let dataset = SyntheticData.plantedInteraction(samples: 300, levels: 2, dims: 3, noise: 0.05, seed: 5)
            let source = DatasetSource(dataset: dataset)
            let registry = try bmnasRegistry()
            var rng = SeededGenerator(seed: 3)
            let encoders: [any ModalityEncoder] = try (0..<2).map { i in
                let (name, configuration) = source.encoderConfiguration(modality: i)
                return try registry.encoder(named: name).make(configuration, &rng)
            }
            let configuration = SearchSpaceConfiguration(
                inputNames: ["a.0", "a.1", "b.0", "b.1"], inputShapes: encoders.flatMap(\.levelShapes),
                channels: 4, length: 1, cells: 1, steps: 1, dropout: 0, primitives: ["sum", "low_rank_tensor"])
            let supernet = try FusionNASSearchSpace().makeSupernet(configuration, registry: registry, rng: &rng)
            let network = MultimodalNetwork(encoders: encoders, body: supernet)
            network.attachHead(outputs: 2, rng: &rng)
            var settings = SearchSettings()
            settings.epochs = 1
            settings.batchSize = 32
            settings.architectureLearningRate = 1e-2
            settings.secondOrder = secondOrder
            let search = try ArchitectureSearch(
                network: network, supernet: supernet, objective: SupervisedObjective(task: source.task), source: source,
                trainIndices: dataset.split.train, heldOutIndices: dataset.split.validation, settings: settings, seed: 1)
            try search.runEpoch()
            #expect(search.history[0].heldOutLoss.isFinite)
            return supernet.architectureParameters.flatMap(\.values)
        }
        let first = try search(secondOrder: false)
        let second = try search(secondOrder: true)
        #expect(second.allSatisfy { $0.isFinite })
        #expect(first != second, "the unrolled step changed nothing")
        let again = try search(secondOrder: true)
        #expect(again == second)
    }
}
