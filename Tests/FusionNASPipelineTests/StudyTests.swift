import BMNAS
import Contrastive
import FusionNAS
import FusionNASPipeline
import TestSupport
import Testing
import Tensors

/// Two UCI views and every stage at its smallest: a whole pipeline in seconds.
func smallPipelineConfiguration() -> PipelineConfiguration {
    var c = PipelineConfiguration()
    c.modalities = ["fou", "kar"]
    c.channels = 8
    c.length = 4
    c.searchEpochs = 1
    c.pretrainEpochs = 1
    c.finetuneEpochs = 2
    c.batchSize = 128
    return c
}

/// `FusionStudy`'s arms differ only in their named factor.
@Suite struct StudyTests {
    func study(architectures: [StudyArchitecture] = StudyArchitecture.allCases, fractions: [Double]) throws -> FusionStudy {
        let c = smallPipelineConfiguration()
        let registry = try bmnasRegistry()
        try ContrastiveComponents.register(in: registry)
        return FusionStudy(
            configuration: c, registry: registry, architectures: architectures, weights: StudyWeights.allCases,
            fractions: fractions, randomDraws: 2)
    }

    @Test func armsShareTheirLabelledIndicesAndDifferOnlyInTheirFactor() throws {
        var rows: [StudyRow] = []
        try study(fractions: [0.2, 1]).run(seed: 3) { rows.append($0) }
        // Per fraction: five searched, drawn or fixed architectures (two random draws) x two weights, plus linear.
        #expect(rows.count == 2 * (6 * 2 + 1), "\(rows.map { ($0.architecture, $0.weights, $0.fraction) })")
        for fraction in [0.2, 1] {
            let here = rows.filter { $0.fraction == fraction }
            #expect(Set(here.map(\.labelledTrain)).count == 1, "arms at r = \(fraction) saw different labelled samples")
            #expect(here.allSatisfy { $0.value.isFinite && $0.value >= 0 && $0.value <= 1 && $0.seed == 3 })
        }
        #expect(rows.first { $0.fraction == 0.2 }!.labelledTrain.count < rows.first { $0.fraction == 1 }!.labelledTrain.count)
        // The label-free search runs once per seed: the same genotype at every fraction.
        #expect(Set(rows.filter { $0.architecture == "ssl-search" }.map(\.genotype)).count == 1)
        // At r = 1 the supervised search reads the same labels as the full-label search: two arms with
        // the same factors must give the same figures, which only holds if nothing else differs.
        for weights in StudyWeights.allCases.map(\.rawValue) {
            let supervised = try #require(rows.first { $0.fraction == 1 && $0.architecture == "supervised-search" && $0.weights == weights })
            let full = try #require(rows.first { $0.fraction == 1 && $0.architecture == "full-label-search" && $0.weights == weights })
            #expect(supervised.genotype == full.genotype)
            #expect(supervised.value == full.value && supervised.validationValue == full.validationValue)
        }
        #expect(Set(rows.filter { $0.architecture == "random" }.map(\.draw)) == [0, 1])
        #expect(rows.filter { $0.architecture == "linear" }.allSatisfy { $0.weights == "none" && $0.genotype.isEmpty })
    }

    @Test func theSameSeedGivesTheSameRows() throws {
        var first: [StudyRow] = [], second: [StudyRow] = []
        try study(architectures: [.random, .lateFusion], fractions: [0.5]).run(seed: 1) { first.append($0) }
        try study(architectures: [.random, .lateFusion], fractions: [0.5]).run(seed: 1) { second.append($0) }
        #expect(first == second)
    }
}

@Suite struct ReferenceGenotypeTests {
    let space = SearchSpaceConfiguration(
        inputNames: ["pix.0", "pix.1", "fou.0", "fou.1"],
        inputShapes: Array(repeating: FeatureLevelShape(channels: 4, length: 1), count: 4),
        cells: 3, steps: 2, primitives: ["zero", "sum", "concat_fc", "linear_glu"])

    @Test func randomDrawsAreDerivableGenotypesAndCoverTheSpace() {
        var rng = SeededGenerator(seed: 5)
        let draws = (0..<300).map { _ in ReferenceGenotypes.random(space, rng: &rng) }
        for genotype in draws {
            #expect(genotype.cells.count == 3 && genotype.inputs == space.inputNames)
            var pairs: [Set<Int>] = []
            for (k, cell) in genotype.cells.enumerated() {
                #expect(cell.inputs.count == 2 && cell.inputs[0] != cell.inputs[1])
                #expect(cell.inputs.allSatisfy { $0 >= 0 && $0 < 4 + k }, "cell \(k) reads \(cell.inputs)")
                #expect(!pairs.contains(Set(cell.inputs)), "cell \(k) repeats an earlier cell's pair")
                pairs.append(Set(cell.inputs))
                for (s, step) in cell.steps.enumerated() {
                    #expect(step.primitive != "zero")
                    #expect(step.inputs[0] != step.inputs[1] && step.inputs.allSatisfy { $0 < 2 + s })
                }
            }
        }
        #expect(Set(draws.flatMap { $0.cells.flatMap { $0.steps.map(\.primitive) } }) == ["sum", "concat_fc", "linear_glu"])
        #expect(Set(draws.map(\.description)).count > 250, "300 draws should rarely repeat")
        #expect(Set(draws.map { $0.cells[2].inputs[0] }) == Set(0..<6), "the last cell can read every node")
    }

    @Test func lateFusionConcatenatesEachModalitysTopLevel() {
        let genotype = ReferenceGenotypes.lateFusion(space)
        #expect(genotype.cells.map(\.inputs) == [[1, 3], [4, 1], [5, 3]])
        #expect(genotype.cells.allSatisfy { $0.steps.map(\.inputs) == [[0, 1], [2, 0]] })
        #expect(genotype.cells.allSatisfy { $0.steps.allSatisfy { $0.primitive == "concat_fc" } })
    }
}
