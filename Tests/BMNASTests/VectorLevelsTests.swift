@testable import BMNAS
import FusionNAS
import TestSupport
import Testing
import Tensors

/// Vector feature levels projected to (C, L) instead of repeated along L.
@Suite struct VectorLevelsTests {
    /// Attention of a sequence level over the vector level b.0, then a multiplicative step.
    let genotype = Genotype(
        searchSpace: "fusionnas", inputs: ["a.0", "a.1", "b.0"],
        cells: [CellGenotype(inputs: [0, 2], steps: [StepGenotype(inputs: [0, 1], primitive: "scale_dot_attn")])])

    func configuration(_ vectorLevels: VectorLevels) -> SearchSpaceConfiguration {
        var c = tinyConfiguration(cells: 1)
        c.vectorLevels = vectorLevels
        return c
    }

    @Test func aProjectedVectorGivesEveryPositionItsOwnValues() throws {
        var rng = SeededGenerator(seed: 6)
        let projected = InputReshaper(inChannels: 6, inputLength: 1, channels: 4, length: 3, vectorLevels: .project, rng: &rng)
        let repeated = InputReshaper(inChannels: 6, inputLength: 1, channels: 4, length: 3, vectorLevels: .repeat, rng: &rng)
        #expect(projected.conv.weight.shape == [12, 6, 1])
        let x: Tensor = tinyInputs(batch: 4)[2]
        let p: [Float] = projected(x).values
        let r: [Float] = repeated(x).values
        #expect(p.count == 4 * 4 * 3 && r.count == 4 * 4 * 3)
        let rows = Array(0..<16)
        let projectedVaries = rows.contains { (row: Int) -> Bool in p[row * 3] != p[row * 3 + 1] || p[row * 3 + 1] != p[row * 3 + 2] }
        let repeatedIsConstant = rows.allSatisfy { (row: Int) -> Bool in r[row * 3] == r[row * 3 + 1] && r[row * 3 + 1] == r[row * 3 + 2] }
        #expect(projectedVaries, "a projected vector should not be constant along L: \(p.prefix(12))")
        #expect(repeatedIsConstant)
    }

    @Test func projectedVectorNetworkGradients() throws {
        var rng = SeededGenerator(seed: 7)
        let network = try FusionNASSearchSpace().makeNetwork(
            genotype: genotype, configuration: configuration(.project), registry: bmnasRegistry(), rng: &rng)
        let inputs = tinyInputs()
        // As in BMNASNetworkTests: ReLUs after batch norm over three samples sit near kinks.
        let result = GradientCheck.run(
            inputs: network.parameters() + inputs, epsilon: 1e-3, maxElementsPerInput: 8, toleratesKinks: true
        ) { _ in network(inputs) }
        #expect(result.passed, "\(result)")
    }

    @Test func theSupernetProjectsToo() throws {
        var rng = SeededGenerator(seed: 8)
        let supernet = try FusionNASSearchSpace().makeSupernet(configuration(.project), registry: bmnasRegistry(), rng: &rng)
        #expect(supernet.namedParameters().contains { $0.name.hasSuffix("reshapers.2.conv.weight") && $0.tensor.shape == [12, 6, 1] })
        #expect(supernet(tinyInputs()).shape == [3, 4, 3])
    }
}
