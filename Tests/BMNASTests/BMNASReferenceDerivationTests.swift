@testable import BMNAS
import FusionNAS
import TestSupport
import Testing
import Tensors

/// BM-NAS's derivation (model_search.py `genotype()`, "sample strategy v3"; node_search.py
/// `node_genotype()`), and the refusal to build one space's genotype in the other.
@Suite struct BMNASReferenceDerivationTests {
    static let configuration = SearchSpaceConfiguration(
        inputNames: ["a.0", "a.1", "b.0", "b.1"],
        inputShapes: Array(repeating: .init(channels: 3, length: 4), count: 4),
        channels: 4, length: 4, cells: 2, steps: 2, dropout: 0, primitives: BMNASComponents.referencePrimitives)

    static func supernet() throws -> BMNASReferenceSupernet {
        var rng = SeededGenerator(seed: 1)
        return try #require(
            try BMNASReferenceSearchSpace().makeSupernet(configuration, registry: bmnasRegistry(), rng: &rng) as? BMNASReferenceSupernet)
    }

    /// Scores where every option is 0.5 except those given.
    static func scores(_ supernet: BMNASReferenceSupernet, _ overrides: [String: [Float]]) -> [String: [Float]] {
        var weights = supernet.architectureWeights().mapValues { $0.map { _ in Float(0.5) } }
        for (name, value) in overrides { weights[name] = value }
        return weights
    }

    @Test func cellsReadInputNodesWithAFreshOneAndStepsTheirTwoStrongestEdges() throws {
        let supernet = try Self.supernet()
        let genotype = supernet.deriveGenotype(fromScores: Self.scores(supernet, [
            // Cell 0: a.1 and b.1 are strongest; cell 1: its edge from cell 0 (node 4) is strongest
            // of all, but a cell reads input nodes only, and (a.1, b.1) is taken: of the pairs with
            // a fresh node, (a.0, a.1) is the strongest (0.7 · 0.9).
            "cell0.edge1": [0.1, 0.9], "cell0.edge3": [0.2, 0.8],
            "cell1.edge4": [0.0, 1.0], "cell1.edge1": [0.1, 0.9], "cell1.edge3": [0.2, 0.8], "cell1.edge0": [0.3, 0.7],
            // Step 1 of cell 0 has three edges; the two strongest, stronger first: step 0 (2), then input 0.
            "cell0.step1.edge0": [0.4, 0.6], "cell0.step1.edge2": [0.1, 0.9],
            // Primitives: the largest weight.
            "cell0.step0.primitive": [0.1, 0.2, 0.6, 0.1], "cell1.step1.primitive": [0.1, 0.1, 0.1, 0.7],
        ]))
        #expect(genotype.searchSpace == "bmnas")
        #expect(genotype.cells[0].inputs == [1, 3])
        #expect(genotype.cells[1].inputs == [0, 1])
        #expect(genotype.cells[0].steps[1].inputs == [2, 0])
        #expect(genotype.cells[0].steps[0].primitive == "linear_glu")
        #expect(genotype.cells[1].steps[1].primitive == "concat_fc")
    }

    @Test func whenEveryInputNodeIsReadAnyPairIsAllowed() throws {
        // BM-NAS's code raises an IndexError here (no pair with a fresh node is left).
        var c = Self.configuration
        c.inputNames = ["a.0", "b.0"]
        c.inputShapes = Array(c.inputShapes.prefix(2))
        var rng = SeededGenerator(seed: 2)
        let supernet = try BMNASReferenceSearchSpace().makeSupernet(c, registry: bmnasRegistry(), rng: &rng)
        #expect(supernet.deriveGenotype().cells.map(\.inputs) == [[0, 1], [0, 1]])
    }

    @Test func aGenotypeIsBuiltOnlyByTheSpaceThatFoundIt() throws {
        let supernet = try Self.supernet()
        let reference = supernet.deriveGenotype()
        var rng = SeededGenerator(seed: 3)
        let registry = try bmnasRegistry()
        #expect(throws: ComponentError.self) {
            try FusionNASSearchSpace().makeNetwork(genotype: reference, configuration: Self.configuration, registry: registry, rng: &rng)
        }
        do {
            _ = try FusionNASSearchSpace().makeNetwork(genotype: reference, configuration: Self.configuration, registry: registry, rng: &rng)
        } catch let error as ComponentError {
            #expect("\(error)".contains("'bmnas', not 'fusionnas'"), "\(error)")
        }
        var own = reference
        own.searchSpace = "fusionnas"
        #expect(throws: ComponentError.self) {
            try BMNASReferenceSearchSpace().makeNetwork(genotype: own, configuration: Self.configuration, registry: registry, rng: &rng)
        }
        _ = try BMNASReferenceSearchSpace().makeNetwork(genotype: reference, configuration: Self.configuration, registry: registry, rng: &rng)
    }
}
