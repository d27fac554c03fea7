import FusionNAS

extension GenotypeRenderer {
    /// Graphviz DOT text for `genotype`, left to right: modality clusters, one cluster per cell,
    /// and the fused output. `dot -Tsvg` (or `-Tpng`, `-Tpdf`) draws it.
    ///
    /// Node identifiers are stable so that tools can post-process the text: `in_I` for input I,
    /// `cK_sM` for step M of cell K, `cK_out` for cell K's output, `fused` for the result and
    /// `invalid_N` for references that name no node (listed in the graph label as well).
    public func dot(_ genotype: Genotype) -> String {
        let graph = GenotypeGraph(genotype)
        var lines: [String] = []
        let heading = ([title(genotype)] + descriptionLines(genotype) + graph.problems.map { "problem: \($0)" })
            .map(Self.quoteBody).joined(separator: "\\n")
        lines.append("digraph genotype {")
        lines.append("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, nodesep=0.25, ranksep=0.6, label=\"\(heading)\"];")
        lines.append("  node [fontname=\"Helvetica\", fontsize=11, shape=box, style=\"rounded,filled\", fillcolor=white];")
        lines.append("  edge [color=\"#555555\", arrowsize=0.7];")

        for (m, modality) in graph.modalities.enumerated() {
            let colour = Self.modalityColour(m)
            lines.append("  subgraph cluster_modality_\(m) {")
            lines.append("    label=\(Self.quote(modality.name)); style=\"rounded,filled\"; color=\"\(colour)\"; fillcolor=\"#f7f7f7\";")
            for i in modality.inputs {
                // An input no step reads cannot affect the output: faded, so the eye skips it.
                let look = graph.usedInputs.contains(i)
                    ? "color=\"\(colour)\"" : "color=\"#999999\", style=\"rounded,dashed\", fontcolor=\"#999999\""
                lines.append("    in_\(i) [label=\(Self.quote(genotype.inputs[i])), \(look)];")
            }
            lines.append("  }")
        }

        for (k, cell) in genotype.cells.enumerated() {
            lines.append("  subgraph cluster_cell_\(k) {")
            lines.append("    label=\(Self.quote("cell \(k)")); style=rounded; color=\"#f28e2b\";")
            for (s, step) in cell.steps.enumerated() {
                lines.append("    c\(k)_s\(s) [label=\(Self.quote(step.primitive)), tooltip=\(Self.quote("cell \(k) step \(s)")), fillcolor=\"#fde9d4\"];")
            }
            lines.append("    c\(k)_out [label=\(Self.quote("cell \(k) output")), shape=ellipse, style=filled, fillcolor=\"#eeeeee\"];")
            lines.append("  }")
        }
        lines.append("  fused [label=\"fused output\", shape=doubleoctagon, style=filled, fillcolor=\"#d9ead3\"];")

        var invalidIDs: [String: String] = [:]
        for edge in graph.edges {
            let source: String
            switch edge.source {
            case .input(let i): source = "in_\(i)"
            case .cellOutput(let c): source = "c\(c)_out"
            case .step(let c, let s): source = "c\(c)_s\(s)"
            case .invalid(let message):
                if let id = invalidIDs[message] {
                    source = id
                } else {
                    source = "invalid_\(invalidIDs.count)"
                    invalidIDs[message] = source
                    lines.append("  \(source) [label=\(Self.quote("missing node")), tooltip=\(Self.quote(message)), color=red, fontcolor=red];")
                }
            }
            // The head label numbers the operands: attention and similar primitives are not symmetric.
            lines.append("  \(source) -> c\(edge.cell)_s\(edge.step) [headlabel=\"\(edge.operand + 1)\", labelfontsize=8];")
        }
        for (k, cell) in genotype.cells.enumerated() {
            for s in cell.steps.indices { lines.append("  c\(k)_s\(s) -> c\(k)_out;") }
            lines.append("  c\(k)_out -> fused;")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Tableau 10 without its orange, which marks cells: a modality must not look like a cell.
    static let palette = [
        "#4e79a7", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]

    /// The colour of modality number `index`, cycling through ``palette``.
    static func modalityColour(_ index: Int) -> String { palette[index % palette.count] }

    /// A DOT double-quoted string.
    static func quote(_ text: String) -> String { "\"" + quoteBody(text) + "\"" }

    /// The inside of a DOT double-quoted string: quotes and backslashes escaped, newlines as `\n` escapes.
    static func quoteBody(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
