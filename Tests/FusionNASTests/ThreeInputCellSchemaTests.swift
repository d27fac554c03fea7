import Foundation
import FusionNAS
import Layers
import Rendering
import Tensors
import Testing

/// A search space whose cells read three nodes, registered from outside the core as a plugin
/// registers one: the core must describe, check, draw and reload its genotypes by the schema the
/// space states, not by BM-NAS's two-input numbering.
@Suite struct ThreeInputCellSchemaTests {
    /// Three inputs per cell, two steps of two operands: step 0 reads cell inputs 0 and 2, step 1
    /// reads step 0 (local node 3) and cell input 1. Cell k reads the three nodes with the largest
    /// architecture weights among the inputs and earlier cells, in node order.
    struct TripleSpace: SearchSpace {
        var name: String { "triple" }
        var genotypeSchema: GenotypeSchema { GenotypeSchema(cellInputs: 3, stepInputs: 2) }
        func makeSupernet(
            _ configuration: SearchSpaceConfiguration, registry: ComponentRegistry, rng: inout SeededGenerator
        ) throws -> any Supernet {
            TripleSupernet(configuration, schema: genotypeSchema)
        }
        func makeNetwork(
            genotype: Genotype, configuration: SearchSpaceConfiguration, registry: ComponentRegistry,
            rng: inout SeededGenerator
        ) throws -> any FusionBody {
            throw ComponentError(.other, "not needed here")
        }
    }

    final class TripleSupernet: Module, Supernet, @unchecked Sendable {
        let configuration: SearchSpaceConfiguration
        let schema: GenotypeSchema
        /// One weight per node a cell may read; fixed, so that the derived genotype is known.
        let alphas: [Tensor]

        init(_ configuration: SearchSpaceConfiguration, schema: GenotypeSchema) {
            self.configuration = configuration
            self.schema = schema
            let nodes = configuration.inputNames.count
            alphas = (0..<configuration.cells).map { k in
                // Cell 0 prefers inputs 0, 2 and 3; cell 1 prefers 1, 3 and cell 0 (node 4).
                let preferred: Set<Int> = k == 0 ? [0, 2, 3] : [1, 3, 4]
                return Tensor(shape: [nodes + k], values: (0..<(nodes + k)).map { preferred.contains($0) ? 1 : 0 }).requiringGrad()
            }
        }

        var outputChannels: Int { configuration.channels }
        var outputLength: Int { configuration.length }
        func callAsFunction(_ inputs: [Tensor]) -> Tensor { inputs[0] }
        var architectureParameters: [Tensor] { alphas }
        func architectureWeights() -> [String: [Float]] { [:] }

        func deriveGenotype() -> Genotype {
            let cells = alphas.map { alpha in
                let values = alpha.values
                let read = values.indices.sorted { values[$0] > values[$1] }.prefix(schema.cellInputs).sorted()
                return CellGenotype(inputs: Array(read), steps: [
                    StepGenotype(inputs: [0, 2], primitive: "sum"),
                    StepGenotype(inputs: [schema.localIndex(ofStep: 0), 1], primitive: "concat_fc"),
                ])
            }
            return Genotype(searchSpace: "triple", inputs: configuration.inputNames, cells: cells, schema: schema)
        }
    }

    /// The space as a plugin would register it, and the genotype its supernet derives.
    static func derived() throws -> (any SearchSpace, Genotype) {
        let registry = ComponentRegistry()
        try registry.register(searchSpace: SearchSpaceEntry(space: TripleSpace(), origin: .plugin("test"), summary: "three-input cells"))
        let space = try registry.searchSpace(named: "triple")
        let configuration = SearchSpaceConfiguration(
            inputNames: ["pix.0", "pix.1", "fou.0", "kar.0"], inputShapes: Array(repeating: .init(channels: 2, length: 1), count: 4),
            channels: 2, length: 1, cells: 2, steps: 2, dropout: 0, primitives: ["sum", "concat_fc"])
        var rng = SeededGenerator(seed: 0)
        return (space, try space.makeSupernet(configuration, registry: registry, rng: &rng).deriveGenotype())
    }

    @Test func theGenotypeCarriesTheSpacesSchemaAndFitsIt() throws {
        let (space, genotype) = try Self.derived()
        #expect(genotype.schema == GenotypeSchema(cellInputs: 3, stepInputs: 2))
        #expect(space.mismatch(genotype) == nil)
        var twoInputs = genotype
        twoInputs.schema = .twoInputCells
        #expect(space.mismatch(twoInputs)?.contains("3 inputs per cell") == true)
    }

    @Test func theDescriptionNamesTheThirdInputAndTheSteps() throws {
        let (_, genotype) = try Self.derived()
        #expect(genotype.cells.map(\.inputs) == [[0, 2, 3], [1, 3, 4]])
        #expect(
            genotype.description
                == "cell 0 = sum(pix.0, kar.0) -> concat_fc(step 0, fou.0); cell 1 = sum(pix.1, cell 0) -> concat_fc(step 0, kar.0)")
    }

    @Test func validationUsesTheSchema() throws {
        let (_, genotype) = try Self.derived()
        #expect(genotype.structuralProblems.isEmpty)
        #expect(genotype.unusedInputs.isEmpty)
        var bad = genotype
        bad.cells[0].inputs = [0, 2]  // one input short
        bad.cells[1].steps[1].inputs = [4, 1]  // local 4 is step 1 itself
        bad.cells[1].steps[0].inputs = [0, 1, 2]  // three operands
        let problems = bad.structuralProblems
        #expect(problems.count == 4, "\(problems)")
        #expect(problems.contains { $0.contains("cell 0 reads 2 nodes, but its cells read 3") })
        #expect(problems.contains { $0.contains("cell 0 step 0 reads cell input 2, but cell 0 has 2 inputs") })
        #expect(problems.contains { $0.contains("cell 1 step 0 reads 3 operands") })
        #expect(problems.contains { $0.contains("local node 4") && $0.contains("cell inputs (0..<3) or an earlier step (3..<4)") })
    }

    @Test func bothPicturesDrawTheThirdInputAndTheStepEdge() throws {
        let (_, genotype) = try Self.derived()
        let dot = GenotypeRenderer().dot(genotype)
        // Local node 2 is cell 0's third input, kar.0 (input 3); local node 3 is step 0.
        #expect(dot.contains("in_3 -> c0_s0 [headlabel=\"2\""))
        #expect(dot.contains("c0_s0 -> c0_s1 [headlabel=\"1\""))
        #expect(dot.contains("c0_out -> c1_s0 [headlabel=\"2\""))
        #expect(!dot.contains("missing node"))
        let svg = GenotypeRenderer().svg(genotype)
        #expect(svg.contains("kar.0 → cell 0 step 0 (operand 2)"))
        #expect(svg.contains("cell 0 step 0 → cell 0 step 1 (operand 1)"))
        #expect(!svg.contains("problem: "))
    }

    @Test func jsonRoundTripKeepsTheSchema() throws {
        let (_, genotype) = try Self.derived()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("triple-\(UInt32.random(in: 0...UInt32.max)).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try genotype.jsonData().write(to: url)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        #expect(object["version"] as? Int == Genotype.currentVersion)
        #expect(object["schema"] as? [String: Int] == ["cellInputs": 3, "stepInputs": 2])
        let reloaded = try Genotype.load(from: url)
        #expect(reloaded == genotype)
        #expect(reloaded.description == genotype.description)
    }
}
