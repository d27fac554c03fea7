import Foundation
import FusionNAS
import Layers
import Rendering

/// `fusion-nas genotype show FILE` and `fusion-nas genotype render FILE [--format F] [--out PATH]`:
/// read a genotype JSON (a run's `genotype.json`) and describe or draw it.
///
/// The command-line tool dispatches on the first word only, so `genotype` is one ``Command`` whose
/// first positional is the action.
public enum GenotypeCommand {
    static let format = OptionSpec(
        name: "format", kind: .choice(["svg", "dot", "png", "pdf"]), default: .string("svg"),
        help: "Picture format for render; png and pdf need Graphviz's dot on PATH.")
    static let out = OptionSpec(
        name: "out", kind: .path(placeholder: "PATH", example: "architecture.svg"),
        defaultDescription: "FILE with the format's extension",
        help: "Where render writes the picture.")

    /// The `genotype` subcommand, printing to standard output.
    public static let command = makeCommand { print($0, terminator: "") }

    /// The command with its printing redirected, so tests can read what `show` prints.
    static func makeCommand(output: @escaping @Sendable (String) -> Void) -> Command {
        Command(
            name: "genotype",
            summary: "Describe or draw a genotype file: genotype show FILE | genotype render FILE [--format F] [--out PATH].",
            discussion: """
                show prints the architecture in words and a table with one row per step.
                render draws it: svg (the default) and dot need no external tool; png and pdf run \
                Graphviz's dot. Without --out the picture goes next to FILE with the format's extension.
                """,
            options: [format, out],
            positionals: [
                PositionalSpec(name: "ACTION", help: "show or render"),
                PositionalSpec(name: "FILE", help: "a genotype JSON file, e.g. runs/first/genotype.json"),
            ],
            run: { options in
                let file = URL(fileURLWithPath: options.positionals[1])
                switch options.positionals[0] {
                case "show":
                    for name in [format.name, out.name] where options.isExplicit(name) {
                        throw UsageError("--\(name) applies to 'genotype render', not 'genotype show'")
                    }
                    output(describe(try Genotype.load(from: file), file: file))
                case "render":
                    let genotype = try Genotype.load(from: file)
                    let chosen = GenotypeCommand.format(options.string(format.name))
                    let target = options.url(out.name) ?? file.deletingPathExtension().appendingPathExtension(chosen.extension)
                    guard target.standardizedFileURL.path != file.standardizedFileURL.path else {
                        throw UsageError("--out \(target.path) would overwrite the genotype file; choose another path")
                    }
                    for problem in genotype.structuralProblems { output("warning: \(file.path): \(problem)\n") }
                    try render(genotype, as: chosen, to: target)
                    output("wrote \(target.path)\n")
                case let action:
                    throw UsageError("unknown action '\(action)'; type 'genotype show FILE' or 'genotype render FILE'")
                }
            })
    }

    /// What `--format` asks for.
    enum Format: Equatable {
        case svg, dot
        case graphviz(GraphvizFormat)

        var `extension`: String {
            switch self {
            case .svg: "svg"
            case .dot: "dot"
            case .graphviz(let format): format.rawValue
            }
        }
    }

    static func format(_ name: String) -> Format {
        switch name {
        case "svg": .svg
        case "dot": .dot
        default: .graphviz(GraphvizFormat(rawValue: name)!)  // the option's choices admit nothing else
        }
    }

    /// Writes the picture; svg and dot are written by this program, png and pdf by Graphviz.
    static func render(_ genotype: Genotype, as format: Format, to url: URL) throws {
        let renderer = GenotypeRenderer()
        switch format {
        case .svg: try AtomicFile.write(Data(renderer.svg(genotype).utf8), to: url)
        case .dot: try AtomicFile.write(Data(renderer.dot(genotype).utf8), to: url)
        case .graphviz(let format): try renderer.renderWithGraphviz(dot: renderer.dot(genotype), format: format, to: url)
        }
    }

    /// The text `show` prints: a heading, the description, a table with one row per step, and
    /// warnings about inputs no step reads and indices that name no node.
    ///
    /// The heading names the cells' schema, since the local indices in the file (and so the
    /// table's operands) mean different nodes under another schema.
    static func describe(_ genotype: Genotype, file: URL) -> String {
        let cellCount = genotype.cells.count
        var text = "\(file.lastPathComponent): \(genotype.searchSpace) search space, \(genotype.inputs.count) inputs "
            + "(\(genotype.inputs.joined(separator: ", "))), \(cellCount) cell\(cellCount == 1 ? "" : "s") (\(genotype.schema))\n"
        text += genotype.description + "\n"
        // A switched structure builds another network from the same cells: say so beside them.
        if let structure = genotype.structure { text += "structure: \(structure) (fusionnas's own: input pooling average, cell output per-step)\n" }
        text += "\n"
        var table = MarkdownTable(
            headers: ["cell", "cell inputs", "step", "primitive", "operands"],
            alignments: [.right, .left, .right, .left, .left])
        for (k, cell) in genotype.cells.enumerated() {
            let cellInputs = cell.inputs.map { node(genotype, $0) }.joined(separator: ", ")
            if cell.steps.isEmpty { table.addRow(["\(k)", cellInputs, "-", "-", "-"]) }
            for (s, step) in cell.steps.enumerated() {
                // Operands by the names of the nodes they read, so a row reads without the numbering rules.
                let operands = step.inputs.map { local in
                    if case .cellInput(let i) = genotype.schema.localNode(local), i < cell.inputs.count {
                        return node(genotype, cell.inputs[i])
                    }
                    return genotype.localNodeName(local, cell: cell)
                }
                table.addRow([s == 0 ? "\(k)" : "", s == 0 ? cellInputs : "", "\(s)", step.primitive,
                    operands.joined(separator: ", ")])
            }
        }
        text += table.render()
        let unused = genotype.unusedInputs
        if !unused.isEmpty { text += "\ninputs no step reads: \(unused.joined(separator: ", "))\n" }
        for problem in genotype.structuralProblems { text += "warning: \(problem)\n" }
        return text
    }

    /// A global node's name, or a marked index when it names nothing.
    private static func node(_ genotype: Genotype, _ index: Int) -> String {
        index >= 0 && index < genotype.inputs.count + genotype.cells.count ? genotype.nodeName(index) : "node \(index)?"
    }
}
