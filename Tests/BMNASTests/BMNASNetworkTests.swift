import BMNAS
import Foundation
import FusionNAS
import Layers
import TestSupport
import Testing
import Tensors

@Suite struct BMNASNetworkTests {
    let genotype = Genotype(
        searchSpace: "fusionnas", inputs: ["a.0", "a.1", "b.0"],
        cells: [
            CellGenotype(inputs: [0, 2], steps: [StepGenotype(inputs: [0, 1], primitive: "scale_dot_attn"), StepGenotype(inputs: [2, 1], primitive: "low_rank_tensor")]),
            CellGenotype(inputs: [3, 1], steps: [StepGenotype(inputs: [1, 0], primitive: "concat_fc"), StepGenotype(inputs: [0, 2], primitive: "linear_glu")]),
        ])

    @Test func foundNetworkGradients() throws {
        var rng = SeededGenerator(seed: 4)
        let network = try FusionNASSearchSpace().makeNetwork(
            genotype: genotype, configuration: tinyConfiguration(steps: 2), registry: bmnasRegistry(), rng: &rng)
        let inputs = tinyInputs()
        #expect(network(inputs).shape == [3, 8, 3])
        // Every parameter tensor and input (a few elements each). ReLUs after batch norm over a batch
        // of three always have pre-activations near a kink, so the error a kink inside the step explains is
        // allowed. The step is 1e-3: at 1e-4 the quotient's Float32 rounding (about 1e-2) was as large
        // as many gradients, and at 1e-2 several kinks fell inside one step.
        let result = GradientCheck.run(inputs: network.parameters() + inputs, epsilon: 1e-3, maxElementsPerInput: 8, toleratesKinks: true) { _ in
            network(inputs)
        }
        #expect(result.passed, "\(result)")
    }

    @Test func onlyUsedInputsAreReshaped() throws {
        var rng = SeededGenerator(seed: 4)
        let network = try FusionNASSearchSpace().makeNetwork(
            genotype: genotype, configuration: tinyConfiguration(steps: 2), registry: bmnasRegistry(), rng: &rng)
        let names = network.namedParameters().map(\.name)
        #expect(names.contains { $0.hasPrefix("reshapers.0.") })
        #expect(names.contains { $0.hasPrefix("reshapers.1.") })
        #expect(names.contains { $0.hasPrefix("reshapers.2.") })
        let oneCell = Genotype(searchSpace: "fusionnas", inputs: ["a.0", "a.1", "b.0"], cells: [genotype.cells[0]])
        let small = try FusionNASSearchSpace().makeNetwork(
            genotype: oneCell, configuration: tinyConfiguration(cells: 1, steps: 2), registry: bmnasRegistry(), rng: &rng)
        #expect(!small.namedParameters().contains { $0.name.hasPrefix("reshapers.1.") })
    }

    @Test func genotypeJSONRoundTripAndDescription() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("genotype-\(UInt32.random(in: 0...UInt32.max)).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try genotype.jsonData().write(to: url)
        #expect(try Genotype.load(from: url) == genotype)
        #expect(genotype.description.hasPrefix("cell 0 = scale_dot_attn(a.0, b.0) -> low_rank_tensor(step 0, b.0)"))
    }

    @Test func genotypeFromAnotherVersionIsRefused() throws {
        var old = genotype
        old.version = 99
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("genotype-v99-\(UInt32.random(in: 0...UInt32.max)).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try JSONEncoder().encode(old).write(to: url)
        #expect { try Genotype.load(from: url) } throws: { "\($0)".contains("version 99") && "\($0)".contains("reads versions 1 to \(Genotype.readableVersions.upperBound)") }
    }

    @Test func inconsistentGenotypesAreRefused() throws {
        var rng = SeededGenerator(seed: 0)
        var bad = genotype
        bad.cells[0].inputs = [0, 3]  // cell 0 cannot read cell 0
        #expect {
            _ = try FusionNASSearchSpace().makeNetwork(
                genotype: bad, configuration: tinyConfiguration(steps: 2), registry: bmnasRegistry(), rng: &rng)
        } throws: { "\($0)".contains("genotype cell 0: inputs [0, 3]") }
        var renamed = genotype
        renamed.inputs = ["x.0", "a.1", "b.0"]
        #expect {
            _ = try FusionNASSearchSpace().makeNetwork(
                genotype: renamed, configuration: tinyConfiguration(steps: 2), registry: bmnasRegistry(), rng: &rng)
        } throws: { "\($0)".contains("differ from the data's input nodes") }
    }
}
