import Foundation
import FusionNAS
import Layers
import TestSupport
import Testing
import Tensors

@testable import BMNAS

/// The `fusionnas` space's structure switches (`--input-pooling`, `--cell-output`): each changes
/// what it says and nothing else, a genotype records the structure it was searched with and builds
/// exactly that one, and files without the field build `fusionnas`'s own structure.
@Suite struct NetworkStructureTests {
    static let cells = [
        CellGenotype(inputs: [0, 2], steps: [StepGenotype(inputs: [0, 1], primitive: "scale_dot_attn"), StepGenotype(inputs: [2, 1], primitive: "concat_fc")]),
        CellGenotype(inputs: [3, 1], steps: [StepGenotype(inputs: [1, 0], primitive: "linear_glu"), StepGenotype(inputs: [0, 2], primitive: "sum")]),
    ]
    static let reference = NetworkStructure(inputPooling: .maximum, cellOutput: .reference)

    static func genotype(_ structure: NetworkStructure? = nil, space: String = "fusionnas") -> Genotype {
        Genotype(searchSpace: space, inputs: ["a.0", "a.1", "b.0"], cells: cells, structure: structure)
    }

    static func network(_ genotype: Genotype, configuration: SearchSpaceConfiguration = tinyConfiguration(steps: 2), seed: UInt64 = 4) throws -> FusionNASNetwork {
        var rng = SeededGenerator(seed: seed)
        return try #require(
            try FusionNASSearchSpace().makeNetwork(genotype: genotype, configuration: configuration, registry: bmnasRegistry(), rng: &rng)
                as? FusionNASNetwork)
    }

    static func parameterCount(_ module: Module) -> Int { module.parameters().reduce(0) { $0 + $1.count } }

    /// C 4, L 3, two cells of two steps. Per step: LayerNorm over [C, L] after every step
    /// (2·C·L each) and a 1x1 conv from 2C to C (2C·C + C); reference: no per-step norm, the same
    /// conv, BatchNorm (2C) and one LayerNorm (2·C·L). Everything else is shared.
    @Test func cellOutputReferenceChangesExactlyTheCellEnding() throws {
        let (c, l) = (4, 3)
        let perStep = try Self.network(Self.genotype())
        let switched = try Self.network(Self.genotype(NetworkStructure(cellOutput: .reference)))
        let perStepCell = 2 * (2 * c * l) + (2 * c * c + c)
        let referenceCell = (2 * c * c + c) + 2 * c + 2 * c * l
        #expect(Self.parameterCount(perStep) - Self.parameterCount(switched) == 2 * (perStepCell - referenceCell))
        let names = Set(switched.namedParameters().map(\.name))
        #expect(names.contains("cells.0.output.projection.weight"))
        #expect(names.contains("cells.0.output.projectionNorm.weight"))
        #expect(names.contains("cells.1.output.norm.weight"))
        #expect(!names.contains { $0.contains("steps.0.norm") || $0.hasSuffix("cells.0.projection.weight") })
        // The reshapers are untouched: same names, same values (same draws before the cells).
        let reshapers = { (n: FusionNASNetwork) in n.namedParameters().filter { $0.name.hasPrefix("reshapers.") } }
        #expect(reshapers(perStep).map(\.name) == reshapers(switched).map(\.name))
        #expect(zip(reshapers(perStep), reshapers(switched)).allSatisfy { $0.tensor.values == $1.tensor.values })
        #expect(switched.reshapers.compactMap { $0 }.allSatisfy { $0.pooling == .average && $0.dropout == nil })
    }

    /// Max pooling has no weights: the same parameters, but every reshaper max-pools and drops out.
    @Test func inputPoolingMaximumChangesExactlyTheReshapers() throws {
        let average = try Self.network(Self.genotype())
        let switched = try Self.network(Self.genotype(NetworkStructure(inputPooling: .maximum)))
        #expect(average.namedParameters().map(\.name) == switched.namedParameters().map(\.name))
        #expect(switched.reshapers.compactMap { $0 }.allSatisfy { $0.pooling == .maximum && $0.dropout != nil })
        #expect(switched.cells.allSatisfy { $0.output == nil && $0.steps.allSatisfy { $0.norm != nil } })
        // a.1 (4 channels, length 6, no 2-D map) is max-pooled along its length to L 3.
        let x = Tensor(shape: [1, 4, 6], values: (0..<24).map { Float(($0 * 7) % 11) })
        let pooled = try #require(switched.reshapers[1]).pooled(x)
        let expected = (0..<4).flatMap { ch in (0..<3).map { i in max(x.values[ch * 6 + 2 * i], x.values[ch * 6 + 2 * i + 1]) } }
        #expect(pooled.values == expected)
        #expect(try #require(average.reshapers[1]).pooled(x).values != expected)
    }

    /// Both switches set, a `fusionnas` genotype builds exactly the network the `bmnas` space
    /// builds from the same cells: the same modules, drawn in the same order, the same output. The
    /// remaining difference between the spaces is then the search (edges and derivation).
    @Test func bothSwitchesBuildBMNASsFoundNetwork() throws {
        let configuration = tinyConfiguration(steps: 2)
        let switched = try Self.network(Self.genotype(Self.reference), configuration: configuration)
        var rng = SeededGenerator(seed: 4)
        let bmnas = try BMNASReferenceSearchSpace().makeNetwork(
            genotype: Self.genotype(space: "bmnas"), configuration: configuration, registry: bmnasRegistry(), rng: &rng)
        #expect(Self.parameterCount(switched) == Self.parameterCount(bmnas))
        let inputs = tinyInputs()
        #expect(switched(inputs).values == bmnas(inputs).values)
        let fusionnas = try Self.network(Self.genotype(), configuration: configuration)
        #expect(fusionnas(inputs).values != switched(inputs).values)
    }

    @Test func switchedFoundNetworkGradients() throws {
        let network = try Self.network(Self.genotype(Self.reference))
        let inputs = tinyInputs()
        // As BMNASNetworkTests: ReLUs after batch norm over three samples sit near kinks, and so may
        // a max pooling's window; the error a kink inside the step explains is allowed.
        let result = GradientCheck.run(inputs: network.parameters() + inputs, epsilon: 1e-3, maxElementsPerInput: 8, toleratesKinks: true) { _ in
            network(inputs)
        }
        #expect(result.passed, "\(result)")
    }

    @Test(arguments: [CellOutput.perStep, .reference])
    func switchedSupernetGradients(cellOutput: CellOutput) throws {
        var configuration = tinyConfiguration(cells: 2, steps: 2)
        configuration.inputPooling = .maximum
        configuration.cellOutput = cellOutput
        var rng = SeededGenerator(seed: 2)
        let supernet = try FusionNASSearchSpace().makeSupernet(configuration, registry: bmnasRegistry(), rng: &rng)
        for a in supernet.architectureParameters { a.assign(Tensor.randn(a.shape, rng: &rng)) }
        let inputs = tinyInputs()
        let result = GradientCheck.run(inputs: supernet.parameters(), epsilon: 1e-3, maxElementsPerInput: 4, toleratesKinks: true) { _ in
            supernet(inputs)
        }
        #expect(result.passed, "\(result)")
    }

    /// The supernet is built with the chosen structure and its genotypes record it, so the found
    /// network is built with the structure that was searched.
    @Test func supernetSearchesTheChosenStructureAndItsGenotypeRecordsIt() throws {
        var configuration = tinyConfiguration(steps: 2)
        configuration.cellOutput = .reference
        var rng = SeededGenerator(seed: 3)
        let supernet = try #require(
            try FusionNASSearchSpace().makeSupernet(configuration, registry: bmnasRegistry(), rng: &rng) as? FusionNASSupernet)
        #expect(supernet.cells.allSatisfy { $0.output != nil && $0.projection == nil && $0.steps.allSatisfy { $0.norm == nil } })
        #expect(supernet.reshapers.allSatisfy { $0.pooling == .average })
        let genotype = supernet.deriveGenotype()
        #expect(genotype.structure == NetworkStructure(cellOutput: .reference))
        #expect(genotype.version == Genotype.structuredVersion)
        configuration.cellOutput = nil
        let found = try Self.network(genotype, configuration: configuration)
        #expect(found.cells.allSatisfy { $0.output != nil })

        let plain = try FusionNASSearchSpace().makeSupernet(tinyConfiguration(steps: 2), registry: bmnasRegistry(), rng: &rng)
        #expect(plain.deriveGenotype().structure == nil)
        #expect(plain.deriveGenotype().version == Genotype.currentVersion)
    }

    @Test func switchedGenotypeRoundTripsThroughJSONAndRebuildsTheSameNetwork() throws {
        let genotype = Self.genotype(Self.reference)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("genotype-structure-\(UInt32.random(in: 0...UInt32.max)).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try genotype.jsonData().write(to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("\"structure\""), "\(text)")
        #expect(text.contains("\"version\" : 3"), "\(text)")
        let loaded = try Genotype.load(from: url)
        #expect(loaded == genotype)
        let inputs = tinyInputs()
        #expect(try Self.network(loaded)(inputs).values == (try Self.network(genotype)(inputs).values))
    }

    /// A genotype written before the switches (no `structure`) loads as it did and builds
    /// `fusionnas`'s structure; `fusionnas`'s own structure is never written.
    @Test func genotypeWithoutAStructureLoadsUnchanged() throws {
        // As the previous build wrote it (pretty, sorted keys).
        let old = """
            {
              "cells" : [
                {
                  "inputs" : [
                    0,
                    2
                  ],
                  "steps" : [
                    {
                      "inputs" : [
                        0,
                        1
                      ],
                      "primitive" : "sum"
                    }
                  ]
                }
              ],
              "inputs" : [
                "a.0",
                "a.1",
                "b.0"
              ],
              "schema" : {
                "cellInputs" : 2,
                "stepInputs" : 2
              },
              "searchSpace" : "fusionnas",
              "version" : 2
            }
            """
        let genotype = try JSONDecoder().decode(Genotype.self, from: Data(old.utf8))
        #expect(String(decoding: try genotype.jsonData(), as: UTF8.self) == old, "written back byte for byte")
        #expect(genotype.structure == nil)
        #expect(genotype.networkStructure == .fusionnas)
        #expect(genotype.version == 2)
        let explicitDefault = Genotype(searchSpace: "fusionnas", inputs: genotype.inputs, cells: genotype.cells, structure: .fusionnas)
        #expect(explicitDefault == genotype)
        #expect(!String(decoding: try explicitDefault.jsonData(), as: UTF8.self).contains("structure"))
        let network = try Self.network(genotype, configuration: tinyConfiguration(cells: 1))
        #expect(network.reshapers.compactMap { $0 }.allSatisfy { $0.pooling == .average })
        #expect(network.cells.allSatisfy { $0.output == nil && $0.steps.allSatisfy { $0.norm != nil } })
    }

    /// A genotype never builds another structure than the one it records.
    @Test func aContradictingChoiceOrAnotherSpaceIsRefused() throws {
        var configuration = tinyConfiguration(steps: 2)
        configuration.inputPooling = .maximum
        #expect {
            _ = try Self.network(Self.genotype(), configuration: configuration)
        } throws: { "\($0)".contains("searched with input pooling average, not maximum") }
        configuration.inputPooling = nil
        configuration.cellOutput = .perStep
        #expect {
            _ = try Self.network(Self.genotype(Self.reference), configuration: configuration)
        } throws: { "\($0)".contains("searched with cell output reference, not per-step") }
        // The same choice as the genotype's is accepted.
        configuration.cellOutput = .reference
        _ = try Self.network(Self.genotype(Self.reference), configuration: configuration)

        var rng = SeededGenerator(seed: 1)
        #expect {
            _ = try BMNASReferenceSearchSpace().makeNetwork(
                genotype: Self.genotype(Self.reference, space: "bmnas"), configuration: tinyConfiguration(steps: 2),
                registry: bmnasRegistry(), rng: &rng)
        } throws: { "\($0)".contains("does not build") }
        #expect {
            _ = try BMNASReferenceSearchSpace().makeSupernet(configuration, registry: bmnasRegistry(), rng: &rng)
        } throws: { "\($0)".contains("switch the fusionnas space's structure") }
    }

    /// Drawn and fixed genotypes of a study carry the configuration's switches, so they are built
    /// with the structure the searched arms were.
    @Test func referenceGenotypesCarryTheChosenStructure() {
        var configuration = tinyConfiguration(steps: 2)
        #expect(ReferenceGenotypes.lateFusion(configuration).structure == nil)
        configuration.inputPooling = .maximum
        var rng = SeededGenerator(seed: 1)
        #expect(ReferenceGenotypes.random(configuration, rng: &rng).structure == NetworkStructure(inputPooling: .maximum))
        #expect(ReferenceGenotypes.lateFusion(configuration).structure == NetworkStructure(inputPooling: .maximum))
    }
}
