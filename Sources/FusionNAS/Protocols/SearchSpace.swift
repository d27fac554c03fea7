import Layers
import Tensors

/// The shared sizes of a search space: BM-NAS's MM-IMDB values are the documented reference
/// (C 192, L 16, 2 cells, 1 step, dropout 0.1).
public struct SearchSpaceConfiguration: Sendable, Codable, Equatable {
    /// Names of the input nodes, one per modality feature level (e.g. `pix.0`, `fou.1`).
    public var inputNames: [String]
    /// Shapes of the input nodes, in the same order.
    public var inputShapes: [FeatureLevelShape]
    /// Channels C of every fused feature map.
    public var channels: Int
    /// Length L of every fused feature map.
    public var length: Int
    /// Number of cells N.
    public var cells: Int
    /// Number of step nodes M per cell.
    public var steps: Int
    /// Dropout inside primitives and reshaping layers.
    public var dropout: Float
    /// Names of the registered primitives to search over.
    public var primitives: [String]
    /// How length-1 input nodes are spread over L.
    public var vectorLevels: VectorLevels
    /// Whether derivation must let every modality reach the head (when the cells can): a
    /// contrastive loss can be satisfied by the easiest modality alone, and a genotype that drops a
    /// modality cannot use it however many labels fine-tuning gets.
    public var readsEveryModality = false
    /// The `fusionnas` space's input pooling (``NetworkStructure``); nil: not chosen, so a supernet
    /// gets the space's own and a found network its genotype's. Other spaces refuse a choice.
    public var inputPooling: InputPooling? = nil
    /// The `fusionnas` space's cell output (``NetworkStructure``); nil: not chosen, as ``inputPooling``.
    public var cellOutput: CellOutput? = nil

    /// Whether a structure switch was chosen.
    public var choosesStructure: Bool { inputPooling != nil || cellOutput != nil }

    /// The chosen structure, `fusionnas`'s choices where none was made.
    public var networkStructure: NetworkStructure {
        NetworkStructure(
            inputPooling: inputPooling ?? NetworkStructure.fusionnas.inputPooling,
            cellOutput: cellOutput ?? NetworkStructure.fusionnas.cellOutput)
    }

    public init(
        inputNames: [String], inputShapes: [FeatureLevelShape], channels: Int = 192, length: Int = 16,
        cells: Int = 2, steps: Int = 1, dropout: Float = 0.1, primitives: [String],
        vectorLevels: VectorLevels = .repeat
    ) {
        self.inputNames = inputNames
        self.inputShapes = inputShapes
        self.channels = channels
        self.length = length
        self.cells = cells
        self.steps = steps
        self.dropout = dropout
        self.primitives = primitives
        self.vectorLevels = vectorLevels
    }
}

/// A fusion network: takes every input node (batch, C_i, L_i) and returns the fused map (batch, outputChannels, L).
public protocol FusionBody: Module {
    /// Channels of the fused output.
    var outputChannels: Int { get }
    /// Length of the fused output.
    var outputLength: Int { get }
    /// Fuses the input nodes, in the configuration's order.
    func callAsFunction(_ inputs: [Tensor]) -> Tensor
}

/// A continuous relaxation of a search space: a fusion body whose choices are softmax mixtures over
/// architecture parameters, kept apart from the weights.
public protocol Supernet: FusionBody {
    /// The architecture parameters (alpha, beta, gamma in BM-NAS), never updated by the weight optimizer.
    var architectureParameters: [Tensor] { get }
    /// The discrete architecture the current architecture parameters select.
    func deriveGenotype() -> Genotype
    /// The softmax weights of every choice by name (e.g. `cell0.input0`), for the weight history.
    func architectureWeights() -> [String: [Float]]
    /// The names (keys of ``architectureWeights()``) of the choices among operations rather than
    /// inputs: where a DARTS search collapses onto parameter-free operations, so the pipeline warns
    /// when one of them puts nearly all its weight on one option. Empty by default.
    var operationChoices: [String] { get }
}

extension Supernet {
    public var operationChoices: [String] { [] }

    /// The network's weights: every parameter that is not an architecture parameter.
    public var weightParameters: [Tensor] {
        let arch = Set(architectureParameters.map(ObjectIdentifier.init))
        return parameters().filter { !arch.contains(ObjectIdentifier($0)) }
    }
}

/// Builds supernets and found networks of one kind of search space.
///
/// ```swift
/// let space = try registry.searchSpace(named: "bmnas")
/// let supernet = try space.makeSupernet(configuration, registry: registry, rng: &rng)
/// let genotype = supernet.deriveGenotype()
/// let network = try space.makeNetwork(genotype: genotype, configuration: configuration, registry: registry, rng: &rng)
/// ```
public protocol SearchSpace: Sendable {
    /// The registry name.
    var name: String { get }
    /// How this space's cells number their nodes. Every genotype it derives carries this schema
    /// (``Genotype/schema``), and a genotype with another one does not fit the space. Defaults to
    /// ``GenotypeSchema/twoInputCells``; a space with another cell shape states its own.
    var genotypeSchema: GenotypeSchema { get }
    /// The supernet over the configured primitives.
    func makeSupernet(
        _ configuration: SearchSpaceConfiguration, registry: ComponentRegistry, rng: inout SeededGenerator
    ) throws -> any Supernet
    /// The discrete network a genotype describes.
    func makeNetwork(
        genotype: Genotype, configuration: SearchSpaceConfiguration, registry: ComponentRegistry,
        rng: inout SeededGenerator
    ) throws -> any FusionBody
    /// How this space is searched unless the user says otherwise; ``SearchDefaults/project`` unless
    /// the space says otherwise.
    var searchDefaults: SearchDefaults { get }
}

extension SearchSpace {
    public var searchDefaults: SearchDefaults { .project }
}

extension SearchSpace {
    public var genotypeSchema: GenotypeSchema { .twoInputCells }

    /// Why `genotype` cannot be read by this space, before the space looks at its cells: another
    /// space's name or another schema. Nil when it may fit.
    public func mismatch(_ genotype: Genotype) -> String? {
        if genotype.searchSpace != name {
            return "the genotype is for search space '\(genotype.searchSpace)', not '\(name)'"
        }
        if genotype.schema != genotypeSchema {
            return "the genotype's cells have \(genotype.schema), but search space '\(name)' has \(genotypeSchema)"
        }
        return nil
    }
}
