import FusionNAS
import Tensors

/// This project's variant of BM-NAS's two-level search space (Yin et al., AAAI 2022), registered as
/// `fusionnas`: every difference from BM-NAS's reference code (the `bmnas` space,
/// ``BMNASReferenceSearchSpace``) is listed with its purpose in Docs/search-spaces.md.
public struct FusionNASSearchSpace: SearchSpace {
    public init() {}
    public var name: String { Self.name }
    /// The registry name.
    public static let name = "fusionnas"

    /// Why `--input-pooling` and `--cell-output` cannot be given for `space`, or nil when they can:
    /// they set this space's differences from BM-NAS's choices, and any other space (`bmnas`, which
    /// has those already, or a plugin's) would ignore them and build another network than the one
    /// asked for. The command line, the pipeline and the spaces' validation all refuse with this.
    public static func structureSwitchRefusal(chosen: Bool, space: String) -> String? {
        guard chosen, space != name else { return nil }
        return "--input-pooling and --cell-output switch the fusionnas space's structure; search space '\(space)' has its own (drop them, or use --search-space fusionnas)"
    }

    /// Searched as this project searches by default: an architecture step after every weight batch,
    /// one cosine schedule, the architecture learning rate 3e-3 (10x BM-NAS's, because the embedded
    /// dataset gives a few hundred steps), and BM-NAS's primitives plus `low_rank_tensor`.
    public var searchDefaults: SearchDefaults {
        var defaults = SearchDefaults.project
        defaults.primitives = BMNASComponents.projectPrimitives
        return defaults
    }

    public func makeSupernet(
        _ configuration: SearchSpaceConfiguration, registry: ComponentRegistry, rng: inout SeededGenerator
    ) throws -> any Supernet {
        try FusionNASSupernet(configuration, registry: registry, rng: &rng)
    }

    public func makeNetwork(
        genotype: Genotype, configuration: SearchSpaceConfiguration, registry: ComponentRegistry,
        rng: inout SeededGenerator
    ) throws -> any FusionBody {
        try FusionNASNetwork(genotype: genotype, configuration: configuration, registry: registry, rng: &rng)
    }

    /// Checks the sizes both BM-NAS spaces need; `space` names the space in the messages.
    static func validate(_ c: SearchSpaceConfiguration, space: String = name) throws {
        guard c.inputShapes.count >= 2 else {
            throw ComponentError(.invalidOption(component: space), "\(space): needs at least two input nodes (feature levels), got \(c.inputShapes.count)")
        }
        guard c.inputNames.count == c.inputShapes.count else {
            throw ComponentError(.invalidOption(component: space), "\(space): \(c.inputNames.count) input names for \(c.inputShapes.count) input shapes")
        }
        guard c.channels >= 1, c.length >= 1, c.cells >= 1, c.steps >= 1 else {
            throw ComponentError(.invalidOption(component: space), "\(space): channels, length, cells and steps must be >= 1 (got C \(c.channels), L \(c.length), cells \(c.cells), steps \(c.steps))")
        }
        guard !c.primitives.isEmpty else { throw ComponentError(.invalidOption(component: space), "\(space): the primitive list is empty") }
        guard c.dropout >= 0 && c.dropout < 1 else { throw ComponentError(.invalidOption(component: space), "\(space): dropout must be in [0, 1), got \(c.dropout)") }
        if let refusal = structureSwitchRefusal(chosen: c.choosesStructure, space: space) {
            throw ComponentError(.invalidOption(component: space), refusal)
        }
    }

    /// Checks a genotype against the sizes: the same node numbering in both BM-NAS spaces, but a
    /// genotype is read only by the space it names.
    static func validate(_ g: Genotype, against c: SearchSpaceConfiguration, space: String = name) throws {
        guard g.searchSpace == space else {
            // The two BM-NAS spaces share the genotype's form but not its meaning (cell structure,
            // reshaping), so the same file builds different networks in each.
            throw ComponentError(
                .doesNotFit,
                "genotype is for search space '\(g.searchSpace)', not '\(space)': a genotype builds only the network of the space it was found in (--search-space \(g.searchSpace))")
        }
        try validateStructure(of: g, against: c, space: space)
        guard g.inputs == c.inputNames else {
            throw ComponentError(.doesNotFit, "genotype inputs [\(g.inputs.joined(separator: ", "))] differ from the data's input nodes [\(c.inputNames.joined(separator: ", "))]")
        }
        guard g.cells.count == c.cells else {
            throw ComponentError(.doesNotFit, "genotype has \(g.cells.count) cells, the configuration \(c.cells)")
        }
        for (k, cell) in g.cells.enumerated() {
            guard cell.inputs.count == 2, cell.inputs.allSatisfy({ $0 >= 0 && $0 < c.inputShapes.count + k }) else {
                throw ComponentError(.doesNotFit, "genotype cell \(k): inputs \(cell.inputs) must be two nodes among the \(c.inputShapes.count) inputs and cells before it")
            }
            guard cell.steps.count == c.steps else {
                throw ComponentError(.doesNotFit, "genotype cell \(k) has \(cell.steps.count) steps, the configuration \(c.steps)")
            }
            for (m, step) in cell.steps.enumerated() {
                guard step.inputs.count == 2, step.inputs.allSatisfy({ $0 >= 0 && $0 < 2 + m }) else {
                    throw ComponentError(.doesNotFit, "genotype cell \(k) step \(m): inputs \(step.inputs) must be among the cell's inputs and earlier steps (0..<\(2 + m))")
                }
            }
        }
    }

    /// A genotype builds the structure it records, never another: a structure only `fusionnas`
    /// builds, and a switch chosen in the configuration must be the genotype's.
    static func validateStructure(of g: Genotype, against c: SearchSpaceConfiguration, space: String) throws {
        guard space == name else {
            if let structure = g.structure {
                throw ComponentError(
                    .doesNotFit, "genotype has the fusionnas structure switches (\(structure)), which search space '\(space)' does not build")
            }
            return
        }
        let built = g.networkStructure
        if let pooling = c.inputPooling, pooling != built.inputPooling {
            throw ComponentError(
                .doesNotFit,
                "the genotype was searched with input pooling \(built.inputPooling.rawValue), not \(pooling.rawValue): it builds only the structure it was searched with (drop --input-pooling or give --input-pooling \(built.inputPooling.rawValue))")
        }
        if let output = c.cellOutput, output != built.cellOutput {
            throw ComponentError(
                .doesNotFit,
                "the genotype was searched with cell output \(built.cellOutput.rawValue), not \(output.rawValue): it builds only the structure it was searched with (drop --cell-output or give --cell-output \(built.cellOutput.rawValue))")
        }
    }
}
