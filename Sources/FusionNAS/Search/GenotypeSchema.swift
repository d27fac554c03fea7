/// The shape of a search space's cells, as its genotypes number them.
///
/// Global nodes are the genotype's input nodes, then cell 0, cell 1, ... (a cell's output). Each
/// cell reads ``cellInputs`` global nodes; inside a cell, local node `i < cellInputs` is the
/// cell's input `i` and local node `cellInputs + j` is step `j`. Each step reads ``stepInputs``
/// local nodes. A search space states its schema (``SearchSpace/genotypeSchema``) and every
/// genotype carries the schema it was written with, so the core can describe, check and draw a
/// genotype of any space without knowing that space.
///
/// ```swift
/// let schema = GenotypeSchema(cellInputs: 3, stepInputs: 2)
/// schema.localNode(3)   // .step(0)
/// ```
public struct GenotypeSchema: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// How many global nodes (input nodes or earlier cells) each cell reads.
    public var cellInputs: Int
    /// How many local nodes each step reads, in operand order.
    public var stepInputs: Int

    public init(cellInputs: Int, stepInputs: Int) {
        self.cellInputs = cellInputs
        self.stepInputs = stepInputs
    }

    /// Cells of two inputs whose steps read two operands: BM-NAS's (and DARTS's) shape, and the
    /// schema of version-1 genotype files, which were written before genotypes carried one.
    public static let twoInputCells = GenotypeSchema(cellInputs: 2, stepInputs: 2)

    /// What a cell-local index names.
    public enum LocalNode: Equatable, Sendable {
        /// The cell's input `i` (an index into ``CellGenotype/inputs``).
        case cellInput(Int)
        /// Step `j` of the same cell.
        case step(Int)
        /// A negative index, which names nothing.
        case none
    }

    /// What cell-local node `index` names under this schema.
    public func localNode(_ index: Int) -> LocalNode {
        if index < 0 { return .none }
        return index < cellInputs ? .cellInput(index) : .step(index - cellInputs)
    }

    /// The cell-local index of step `j`.
    public func localIndex(ofStep j: Int) -> Int { cellInputs + j }

    /// E.g. `3 inputs per cell, 2 operands per step`.
    public var description: String {
        "\(cellInputs) input\(cellInputs == 1 ? "" : "s") per cell, \(stepInputs) operand\(stepInputs == 1 ? "" : "s") per step"
    }
}
