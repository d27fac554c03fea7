import FusionNAS

/// Draws a ``Genotype``: as Graphviz DOT text (``dot(_:)``), as a self-contained SVG picture that
/// needs no external tool (``svg(_:)``), or as PNG/PDF through an installed Graphviz
/// (``renderWithGraphviz(dot:format:to:)``).
///
/// Both pictures show the same graph: input nodes grouped by modality (the part of the name before
/// the first `.`), one box per cell with its steps labelled by primitive, an arrow for every operand
/// a step reads, every step into its cell's output (the cell concatenates its steps), and every cell
/// output into the final "fused output" node. Inputs that no step reads are drawn faded and dashed.
///
/// ```swift
/// let genotype = try Genotype.load(from: url)
/// try GenotypeRenderer().svg(genotype).write(to: svgURL, atomically: true, encoding: .utf8)
/// ```
public struct GenotypeRenderer: Sendable {
    public init() {}

    /// The picture's heading: search space and size.
    func title(_ genotype: Genotype) -> String {
        let cells = genotype.cells.count
        return "Fusion architecture (\(genotype.searchSpace)): \(genotype.inputs.count) inputs, "
            + "\(cells) cell\(cells == 1 ? "" : "s")"
    }

    /// The one-line description split at cells, so a long architecture stays readable.
    func descriptionLines(_ genotype: Genotype) -> [String] {
        genotype.description.components(separatedBy: "; ").filter { !$0.isEmpty }
    }
}
