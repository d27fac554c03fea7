import BMNAS
@testable import FusionNAS
import FusionNASPipeline
import Layers
import MultimodalData
import TestSupport
import Testing

/// `--search-space bmnas` alone searches as BM-NAS's code does (main_darts_searchable_mmimdb.py,
/// models/search/train_searchable/mmimdb.py); `fusionnas` keeps this project's search; explicit
/// settings win over either space's.
@Suite struct BMNASReferenceSearchScheduleTests {
    static func pipeline(space: String, configure: (inout PipelineConfiguration) -> Void = { _ in }) throws -> FusionPipeline {
        var c = PipelineConfiguration()
        c.modalities = ["fou", "kar"]
        c.searchSpace = space
        c.labelFraction = 0.3
        c.channels = 4
        c.length = 4
        c.searchEpochs = 2
        c.batchSize = 32
        configure(&c)
        return FusionPipeline(configuration: c, registry: try bmnasRegistry(), data: try PreparedData.load(c))
    }

    static func batches(_ count: Int, _ size: Int) -> Int { (count + size - 1) / size }

    @Test func bmnasAlternatesAWeightEpochWithAnArchitecturePassOverTheHeldOutSplit() throws {
        let outcome = try Self.pipeline(space: "bmnas").supervisedSearch()
        let search = outcome.searcher
        #expect(search.settings.alternation == .everyEpoch)
        #expect(search.settings.weightSchedule == .warmRestarts(firstPeriod: 1, multiplier: 2))
        #expect(search.settings.architectureLearningRate == 3e-4)
        #expect(search.settings.gradientClip == .infinity)
        #expect(search.settings.selection == .argmax)
        let train = Self.batches(search.trainIndices.count, search.settings.batchSize)
        let heldOut = Self.batches(search.heldOutIndices.count, search.settings.batchSize)
        // Two epochs: every training batch once per epoch, then every held-out batch once.
        #expect(search.weightSteps == 2 * train)
        #expect(search.architectureSteps == 2 * heldOut)
        #expect(outcome.genotype.searchSpace == "bmnas")
        let primitives = outcome.best.architectureWeights["cell0.step0.primitive"]
        #expect(primitives?.count == BMNASComponents.referencePrimitives.count, "no zero, no low_rank_tensor")
    }

    @Test func fusionnasTakesAnArchitectureStepAfterEveryWeightBatch() throws {
        let pipeline = try Self.pipeline(space: "fusionnas")
        #expect(pipeline.primitives == BMNASComponents.projectPrimitives)
        let search = try pipeline.supervisedSearch().searcher
        #expect(search.settings.alternation == .everyBatch)
        #expect(search.settings.weightSchedule == .cosine)
        #expect(search.settings.architectureLearningRate == 3e-3)
        #expect(search.settings.gradientClip == 5)
        #expect(search.weightSteps == 2 * Self.batches(search.trainIndices.count, search.settings.batchSize))
        #expect(search.architectureSteps == search.weightSteps)
    }

    @Test func explicitSettingsOverrideTheSpacesDefaults() throws {
        let pipeline = try Self.pipeline(space: "bmnas") {
            $0.architectureLearningRate = 0.01
            $0.primitives = ["sum", "concat_fc"]
            $0.genotypeSelection = .perturbation
        }
        #expect(pipeline.primitives == ["sum", "concat_fc"])
        let outcome = try pipeline.supervisedSearch()
        #expect(outcome.searcher.settings.architectureLearningRate == 0.01)
        #expect(outcome.searcher.settings.selection == .perturbation)
        #expect(outcome.best.architectureWeights["cell0.step0.primitive"]?.count == 2)
    }
}
