import FusionNAS
import Layers
import Tensors

/// A found cell of BM-NAS's code (`Found_Random_FusionCell` in models/search/darts/model.py and
/// `Found_NodeCell` in node.py): the genotype's two inputs (the identity edges), each step a fixed
/// primitive on two of the cell's inputs and earlier steps, then ``ReferenceCellOutput``.
final class ReferenceFoundCell: Module, @unchecked Sendable {
    let inputs: [Int]
    let stepInputs: [[Int]]
    let primitives: [any FusionPrimitive]
    let output: ReferenceCellOutput

    init(genotype: CellGenotype, primitives: [any FusionPrimitive], configuration: SearchSpaceConfiguration, rng: inout SeededGenerator) {
        inputs = genotype.inputs
        stepInputs = genotype.steps.map(\.inputs)
        self.primitives = primitives
        output = ReferenceCellOutput(
            steps: primitives.count, channels: configuration.channels, length: configuration.length,
            dropout: configuration.dropout, rng: &rng)
        super.init()
    }

    func callAsFunction(_ nodes: [Tensor]) -> Tensor {
        var states = inputs.map { nodes[$0] }
        for (primitive, operands) in zip(primitives, stepInputs) { states.append(primitive(operands.map { states[$0] })) }
        return output(steps: Array(states[2...]), first: states[0])
    }
}

/// The network a `bmnas` genotype describes, as BM-NAS's code builds it (``BMNASReferenceSearchSpace``).
/// Only the input nodes some cell reads are reshaped (as `Found_Image_Text_Net.create_reshape_layers`).
public final class BMNASReferenceNetwork: Module, FusionBody, @unchecked Sendable {
    let reshapers: [InputReshaper?]
    let cells: [ReferenceFoundCell]
    let configuration: SearchSpaceConfiguration
    public let genotype: Genotype

    public var outputChannels: Int { configuration.channels * configuration.cells }
    public var outputLength: Int { configuration.length }

    init(genotype: Genotype, configuration: SearchSpaceConfiguration, registry: ComponentRegistry, rng: inout SeededGenerator) throws {
        let space = BMNASReferenceSearchSpace.name
        try FusionNASSearchSpace.validate(configuration, space: space)
        try FusionNASSearchSpace.validate(genotype, against: configuration, space: space)
        self.genotype = genotype
        self.configuration = configuration
        let inputCount = configuration.inputShapes.count
        let used = Set(genotype.cells.flatMap(\.inputs).filter { $0 < inputCount })
        reshapers = configuration.inputShapes.enumerated().map { i, shape in
            used.contains(i)
                ? InputReshaper(
                    inChannels: shape.channels, inputLength: shape.length, channels: configuration.channels,
                    length: configuration.length, vectorLevels: configuration.vectorLevels, pooling: .maximum,
                    inputRows: shape.rows, dropout: configuration.dropout, rng: &rng) : nil
        }
        let primitiveConfiguration = PrimitiveConfiguration(
            channels: configuration.channels, length: configuration.length, dropout: configuration.dropout)
        cells = try genotype.cells.map { cell in
            let primitives = try cell.steps.map { try registry.primitive(named: $0.primitive).make(primitiveConfiguration, &rng) }
            return ReferenceFoundCell(genotype: cell, primitives: primitives, configuration: configuration, rng: &rng)
        }
        super.init()
    }

    public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
        let nodes = CellChain.reshaped(inputs, by: reshapers, network: "BMNASReferenceNetwork", names: configuration.inputNames)
        return CellChain.run(nodes, cells: cells.count) { k, nodes in cells[k](nodes) }
    }
}
