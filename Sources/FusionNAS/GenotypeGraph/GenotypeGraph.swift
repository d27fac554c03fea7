/// A genotype resolved into the nodes and edges a picture draws, shared by the DOT and SVG renderers
/// so that both show the same graph.
///
/// Genotype files are plain JSON that people edit by hand, so an index may point nowhere; such a
/// reference becomes ``Source/invalid(_:)`` and a line in ``problems`` instead of a crash.
///
/// `package` rather than public: the core reads it for ``Genotype/structuralProblems`` and
/// ``Genotype/unreadModalities``, and the Rendering module draws it; it is no API for plugins.
package struct GenotypeGraph {
    /// Where a step's operand comes from.
    package enum Source: Hashable {
        /// Input node `index` of the genotype.
        case input(Int)
        /// The output of an earlier cell (the projection of its concatenated steps).
        case cellOutput(Int)
        /// An earlier step of the same cell.
        case step(cell: Int, step: Int)
        /// An index that names no node; the text says which.
        case invalid(String)
    }

    /// One operand edge into a step.
    package struct OperandEdge {
        package var source: Source
        package var cell: Int
        package var step: Int
        /// 0 for the first operand, 1 for the second; order matters for asymmetric primitives such as attention.
        package var operand: Int
    }

    /// Input nodes grouped by modality, in order of first appearance.
    package struct Modality {
        package var name: String
        package var inputs: [Int]
    }

    package let genotype: Genotype
    package let modalities: [Modality]
    package let edges: [OperandEdge]
    /// Inputs that some step reads; the others are drawn faded, since they do not affect the output.
    package let usedInputs: Set<Int>
    /// Human-readable descriptions of every index that names no node.
    package let problems: [String]

    package init(_ genotype: Genotype) {
        self.genotype = genotype
        var modalities: [Modality] = []
        for (index, name) in genotype.inputs.enumerated() {
            let modality = Self.modality(of: name)
            if let existing = modalities.firstIndex(where: { $0.name == modality }) {
                modalities[existing].inputs.append(index)
            } else {
                modalities.append(Modality(name: modality, inputs: [index]))
            }
        }
        var edges: [OperandEdge] = []
        var problems: [String] = []
        let schema = genotype.schema
        for (k, cell) in genotype.cells.enumerated() {
            if cell.inputs.count != schema.cellInputs {
                problems.append("cell \(k) reads \(cell.inputs.count) nodes, but its cells read \(schema.cellInputs) (\(schema))")
            }
            for (s, step) in cell.steps.enumerated() {
                if step.inputs.count != schema.stepInputs {
                    problems.append("cell \(k) step \(s) reads \(step.inputs.count) operands, but its steps read \(schema.stepInputs) (\(schema))")
                }
                for (operand, local) in step.inputs.enumerated() {
                    let source = Self.resolve(local: local, cell: k, step: s, in: genotype)
                    if case .invalid(let message) = source { problems.append(message) }
                    edges.append(OperandEdge(source: source, cell: k, step: s, operand: operand))
                }
            }
        }
        self.modalities = modalities
        self.edges = edges
        self.problems = problems
        usedInputs = Set(edges.compactMap { if case .input(let i) = $0.source { i } else { nil } })
    }

    /// The modality part of an input name: `pix` for `pix.0`; a name without a dot is its own modality.
    package static func modality(of inputName: String) -> String {
        inputName.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
            ?? inputName
    }

    /// Follows the genotype's ``GenotypeSchema``: local indices below `cellInputs` are the cell's
    /// inputs (global indices), `cellInputs + j` is step j, which must come before the reading step.
    private static func resolve(local: Int, cell k: Int, step s: Int, in genotype: Genotype) -> Source {
        let cell = genotype.cells[k]
        let reader = "cell \(k) step \(s)"
        let cellInputs = genotype.schema.cellInputs
        switch genotype.schema.localNode(local) {
        case .cellInput(let i):
            guard i < cell.inputs.count else {
                return .invalid("\(reader) reads cell input \(i), but cell \(k) has \(cell.inputs.count) inputs")
            }
            let global = cell.inputs[i]
            if global >= 0 && global < genotype.inputs.count { return .input(global) }
            let earlier = global - genotype.inputs.count
            if global >= 0 && earlier < k { return .cellOutput(earlier) }
            return .invalid(
                "cell \(k) input \(i) is node \(global), which is neither one of the \(genotype.inputs.count) inputs nor an earlier cell")
        case .step(let earlier) where earlier < s:
            return .step(cell: k, step: earlier)
        case .step, .none:
            return .invalid(
                "\(reader) reads local node \(local), which is not one of its cell inputs (0..<\(cellInputs)) or an earlier step (\(cellInputs)..<\(cellInputs + s))")
        }
    }
}
