import BMNAS
import FusionNASPipeline
import Layers
import TestSupport
import Testing

@testable import FusionNAS

/// The search-schedule options (`--alternation`, `--weight-schedule`, `--gradient-clip`) set one
/// part of a space's schedule each, in either space, and leave the rest to the space, as
/// `--arch-lr` does.
@Suite struct SearchScheduleOptionsTests {
    typealias Fixture = BMNASReferenceSearchScheduleTests

    static func batches(_ count: Int, _ size: Int) -> Int { Fixture.batches(count, size) }

    @Test func everyEpochAlternationInFusionnasTakesAWeightEpochThenAnArchitecturePass() throws {
        let search = try Fixture.pipeline(space: "fusionnas") { $0.searchAlternation = .everyEpoch }.supervisedSearch().searcher
        #expect(search.settings.alternation == .everyEpoch)
        // Only the alternation changed.
        #expect(search.settings.weightSchedule == .cosine)
        #expect(search.settings.gradientClip == 5)
        #expect(search.settings.architectureLearningRate == 3e-3)
        #expect(search.weightSteps == 2 * Self.batches(search.trainIndices.count, search.settings.batchSize))
        #expect(search.architectureSteps == 2 * Self.batches(search.heldOutIndices.count, search.settings.batchSize))
    }

    @Test func everyBatchAlternationInBMNASTakesAnArchitectureStepAfterEveryWeightBatch() throws {
        let search = try Fixture.pipeline(space: "bmnas") { $0.searchAlternation = .everyBatch }.supervisedSearch().searcher
        #expect(search.settings.alternation == .everyBatch)
        #expect(search.settings.weightSchedule == BMNASReferenceSearchSpace.weightSchedule)
        #expect(search.settings.gradientClip == .infinity)
        #expect(search.weightSteps == 2 * Self.batches(search.trainIndices.count, search.settings.batchSize))
        #expect(search.architectureSteps == search.weightSteps)
    }

    /// Warm restarts: the rate of every weight step is BM-NAS's SGDR (T_0 one epoch of
    /// dataset size / batch size batches, T_mult 2), which rises again at a restart where the one
    /// cosine only falls; the clip is off.
    @Test func warmRestartsAndNoClipInFusionnas() throws {
        let search = try Fixture.pipeline(space: "fusionnas") {
            $0.weightSchedule = BMNASReferenceSearchSpace.weightSchedule
            $0.gradientClip = .off
        }.supervisedSearch().searcher
        let s = search.settings
        #expect(s.weightSchedule == .warmRestarts(firstPeriod: 1, multiplier: 2))
        #expect(s.gradientClip == .infinity)
        #expect(s.alternation == .everyBatch)
        let sgdr = CosineWarmRestarts(
            baseLearningRate: s.weightLearningRate, minimumLearningRate: s.weightMinimumLearningRate, firstPeriod: 1, multiplier: 2,
            batchesPerEpoch: Double(search.trainIndices.count) / Double(s.batchSize))
        let steps = 2 * search.stepsPerEpoch
        #expect((0..<steps).allSatisfy { search.weightLearningRate($0) == sgdr.learningRate(at: $0) })
        let cosine = CosineAnnealing(
            baseLearningRate: s.weightLearningRate, minimumLearningRate: s.weightMinimumLearningRate, totalSteps: steps)
        #expect((1..<steps).contains { search.weightLearningRate($0) > search.weightLearningRate($0 - 1) }, "a restart")
        #expect(!(1..<steps).contains { cosine.learningRate(at: $0) > cosine.learningRate(at: $0 - 1) })
        #expect(search.weightOptimizer.learningRate == sgdr.learningRate(at: steps - 1))
    }

    @Test func cosineAndAClipInBMNAS() throws {
        let search = try Fixture.pipeline(space: "bmnas") {
            $0.weightSchedule = .cosine
            $0.gradientClip = .maximumNorm(2.5)
        }.supervisedSearch().searcher
        let s = search.settings
        #expect(s.weightSchedule == .cosine)
        #expect(s.gradientClip == 2.5)
        #expect(s.alternation == .everyEpoch)
        let cosine = CosineAnnealing(
            baseLearningRate: s.weightLearningRate, minimumLearningRate: s.weightMinimumLearningRate,
            totalSteps: 2 * search.stepsPerEpoch)
        #expect((0..<(2 * search.stepsPerEpoch)).allSatisfy { search.weightLearningRate($0) == cosine.learningRate(at: $0) })
    }
}
