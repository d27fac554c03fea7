import FusionNAS
import Layers
import Tensors

/// One step of a found cell: a fixed primitive on two fixed inputs, then with ``CellOutput/perStep``
/// residual + LayerNorm (with ``CellOutput/reference`` the primitive's output alone, as the
/// supernet's ``SearchStep``).
final class FoundStep: Module, @unchecked Sendable {
    let primitive: any FusionPrimitive
    let norm: LayerNorm?
    let inputs: [Int]

    init(primitive: any FusionPrimitive, inputs: [Int], channels: Int, length: Int, cellOutput: CellOutput = .perStep) {
        self.primitive = primitive
        self.inputs = inputs
        norm = cellOutput == .perStep ? LayerNorm(normalizedShape: [channels, length]) : nil
        super.init()
    }

    func callAsFunction(_ local: [Tensor]) -> Tensor {
        let operands = inputs.map { local[$0] }
        guard let norm else { return primitive(operands) }
        return norm(primitive(operands) + operands[0])
    }
}

/// A found cell: the genotype's two inputs and steps, ended as the supernet's ``SearchCell``.
final class FoundCell: Module, FusionNASCellEnding, @unchecked Sendable {
    let inputs: [Int]
    let steps: [FoundStep]
    /// ``CellOutput/perStep`` with several steps: the 1x1 conv back to C.
    let projection: Conv1d?
    /// ``CellOutput/reference``: BM-NAS's cell ending.
    let output: ReferenceCellOutput?

    init(
        inputs: [Int], steps: [FoundStep], channels: Int, length: Int, cellOutput: CellOutput = .perStep,
        dropout: Float = 0, rng: inout SeededGenerator
    ) {
        self.inputs = inputs
        self.steps = steps
        (projection, output) = Self.endingModules(
            cellOutput, steps: steps.count, channels: channels, length: length, dropout: dropout, rng: &rng)
        super.init()
    }

    func callAsFunction(_ nodes: [Tensor]) -> Tensor {
        var local = inputs.map { nodes[$0] }
        for step in steps { local.append(step(local)) }
        return end(local)
    }
}

/// The network a `fusionnas` genotype describes, with the structure the genotype records
/// (``Genotype/networkStructure``). Only the input nodes some cell reads are reshaped.
public final class FusionNASNetwork: Module, FusionBody, @unchecked Sendable {
    let reshapers: [InputReshaper?]
    let cells: [FoundCell]
    let configuration: SearchSpaceConfiguration
    public let genotype: Genotype

    public var outputChannels: Int { configuration.channels * configuration.cells }
    public var outputLength: Int { configuration.length }

    init(genotype: Genotype, configuration: SearchSpaceConfiguration, registry: ComponentRegistry, rng: inout SeededGenerator) throws {
        try FusionNASSearchSpace.validate(configuration)
        try FusionNASSearchSpace.validate(genotype, against: configuration)
        self.genotype = genotype
        self.configuration = configuration
        let structure = genotype.networkStructure
        let inputCount = configuration.inputShapes.count
        let used = Set(genotype.cells.flatMap(\.inputs).filter { $0 < inputCount })
        reshapers = configuration.inputShapes.enumerated().map { i, shape in
            used.contains(i)
                ? InputReshaper(
                    inChannels: shape.channels, inputLength: shape.length, channels: configuration.channels,
                    length: configuration.length, vectorLevels: configuration.vectorLevels,
                    pooling: structure.inputPooling, inputRows: shape.rows, dropout: configuration.dropout, rng: &rng) : nil
        }
        let primitiveConfiguration = PrimitiveConfiguration(
            channels: configuration.channels, length: configuration.length, dropout: configuration.dropout)
        var cells: [FoundCell] = []
        for cell in genotype.cells {
            var steps: [FoundStep] = []
            for step in cell.steps {
                let primitive = try registry.primitive(named: step.primitive).make(primitiveConfiguration, &rng)
                steps.append(FoundStep(
                    primitive: primitive, inputs: step.inputs, channels: configuration.channels, length: configuration.length,
                    cellOutput: structure.cellOutput))
            }
            cells.append(FoundCell(
                inputs: cell.inputs, steps: steps, channels: configuration.channels, length: configuration.length,
                cellOutput: structure.cellOutput, dropout: configuration.dropout, rng: &rng))
        }
        self.cells = cells
        super.init()
    }

    public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
        let nodes = CellChain.reshaped(inputs, by: reshapers, network: "FusionNASNetwork", names: configuration.inputNames)
        return CellChain.run(nodes, cells: cells.count) { k, nodes in cells[k](nodes) }
    }
}
