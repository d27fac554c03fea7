import FusionNAS
import Tensors

/// BM-NAS's two-level search space (Yin et al., AAAI 2022), registered as `bmnas`.
public struct BMNASSearchSpace: SearchSpace {
    public init() {}
    public var name: String { "bmnas" }
    /// Two inputs per cell and two operands per step; local nodes 0 and 1 are the cell's inputs.
    public var genotypeSchema: GenotypeSchema { .twoInputCells }

    public func makeSupernet(
        _ configuration: SearchSpaceConfiguration, registry: ComponentRegistry, rng: inout SeededGenerator
    ) throws -> any Supernet {
        try BMNASSupernet(configuration, registry: registry, rng: &rng)
    }

    public func makeNetwork(
        genotype: Genotype, configuration: SearchSpaceConfiguration, registry: ComponentRegistry,
        rng: inout SeededGenerator
    ) throws -> any FusionBody {
        try BMNASNetwork(genotype: genotype, configuration: configuration, registry: registry, rng: &rng)
    }

    static func validate(_ c: SearchSpaceConfiguration) throws {
        guard c.inputShapes.count >= 2 else {
            throw ComponentError(.invalidOption(component: "bmnas"), "bmnas: needs at least two input nodes (feature levels), got \(c.inputShapes.count)")
        }
        guard c.inputNames.count == c.inputShapes.count else {
            throw ComponentError(.invalidOption(component: "bmnas"), "bmnas: \(c.inputNames.count) input names for \(c.inputShapes.count) input shapes")
        }
        guard c.channels >= 1, c.length >= 1, c.cells >= 1, c.steps >= 1 else {
            throw ComponentError(.invalidOption(component: "bmnas"), "bmnas: channels, length, cells and steps must be >= 1 (got C \(c.channels), L \(c.length), cells \(c.cells), steps \(c.steps))")
        }
        guard !c.primitives.isEmpty else { throw ComponentError(.invalidOption(component: "bmnas"), "bmnas: the primitive list is empty") }
        guard c.dropout >= 0 && c.dropout < 1 else { throw ComponentError(.invalidOption(component: "bmnas"), "bmnas: dropout must be in [0, 1), got \(c.dropout)") }
    }

    static func validate(_ g: Genotype, against c: SearchSpaceConfiguration) throws {
        guard g.searchSpace == "bmnas" else {
            throw ComponentError(.doesNotFit, "genotype is for search space '\(g.searchSpace)', not 'bmnas'")
        }
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
}
