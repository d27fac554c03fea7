import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import FusionNAS
@testable import Rendering

/// Collects element names and text while checking that a document parses as XML.
private final class XMLSummary: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var texts: [String] = []
    var attributes: [[String: String]] = []
    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        counts[elementName, default: 0] += 1
        attributes.append(attributeDict)
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }

    /// Parses `text`; nil when it is not well-formed.
    static func of(_ text: String) -> XMLSummary? {
        let parser = XMLParser(data: Data(text.utf8))
        let summary = XMLSummary()
        parser.delegate = summary
        return parser.parse() ? summary : nil
    }
}

/// Two cells over three modalities; `kar.0` is read by no step, cell 0's second step reads its first
/// step, and cell 1 reads cell 0's output.
let renderingFixture = Genotype(
    searchSpace: "bmnas", inputs: ["pix.0", "pix.1", "fou.0", "kar.0"],
    cells: [
        CellGenotype(inputs: [1, 2], steps: [
            StepGenotype(inputs: [0, 1], primitive: "concat_fc"),
            StepGenotype(inputs: [2, 1], primitive: "scale_dot_attention"),
        ]),
        CellGenotype(inputs: [4, 0], steps: [
            StepGenotype(inputs: [0, 1], primitive: "linear_glu"),
            StepGenotype(inputs: [2, 0], primitive: "sum"),
        ]),
    ])

@Suite struct RenderingGenotypeTests {
    let renderer = GenotypeRenderer()

    /// Every operand (2 per step), every step into its cell output, every cell into the fused output.
    static let expectedEdges = 2 * 4 + 4 + 2

    private func edgeLines(_ dot: String) -> [String] {
        // An edge statement starts with a node identifier; the graph label also contains "->" (the description).
        dot.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { line in
            let words = line.split(separator: " ")
            return words.count >= 3 && words[1] == "->" && words[0].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        }
    }

    @Test func dotHasModalityClustersCellClustersStepLabelsAndEveryEdge() {
        let dot = renderer.dot(renderingFixture)
        #expect(dot.hasPrefix("digraph genotype {"))
        #expect(dot.filter { $0 == "{" }.count == dot.filter { $0 == "}" }.count)
        #expect(dot.components(separatedBy: "subgraph cluster_modality_").count - 1 == 3)
        #expect(dot.components(separatedBy: "subgraph cluster_cell_").count - 1 == 2)
        for (i, name) in renderingFixture.inputs.enumerated() {
            #expect(dot.contains("in_\(i) [label=\"\(name)\""))
        }
        for (k, cell) in renderingFixture.cells.enumerated() {
            for (s, step) in cell.steps.enumerated() {
                #expect(dot.contains("c\(k)_s\(s) [label=\"\(step.primitive)\""))
            }
        }
        let edges = edgeLines(dot)
        #expect(edges.count == Self.expectedEdges)
        let pairs = Set(edges.map { line in
            line.components(separatedBy: " [")[0].trimmingCharacters(in: CharacterSet(charactersIn: "; "))
        })
        for expected in [
            "in_1 -> c0_s0", "in_2 -> c0_s0", "c0_s0 -> c0_s1", "in_2 -> c0_s1", "c0_out -> c1_s0", "in_0 -> c1_s0",
            "c1_s0 -> c1_s1", "c0_out -> c1_s1", "c1_s1 -> c1_out", "c0_out -> fused", "c1_out -> fused",
        ] {
            #expect(pairs.contains(expected), "missing edge \(expected)")
        }
        // kar.0 is read by nothing and has no edge.
        #expect(!edges.contains { $0.hasPrefix("in_3 ") })
        #expect(dot.contains("in_3 [label=\"kar.0\", color=\"#999999\", style=\"rounded,dashed\""))
        #expect(dot.contains("in_0 [label=\"pix.0\", color=\"#4e79a7\"];"))
        #expect(dot.contains(renderingFixture.description.components(separatedBy: "; ")[1]))
    }

    @Test func dotEscapesQuotesAndBackslashesInNames() {
        let odd = Genotype(
            searchSpace: "bmnas", inputs: ["say \"hi\".0", "back\\slash.0"],
            cells: [CellGenotype(inputs: [0, 1], steps: [StepGenotype(inputs: [0, 1], primitive: "my \"prim\"")])])
        let dot = renderer.dot(odd)
        #expect(dot.contains("in_0 [label=\"say \\\"hi\\\".0\""))
        #expect(dot.contains("in_1 [label=\"back\\\\slash.0\""))
        #expect(dot.contains("c0_s0 [label=\"my \\\"prim\\\"\""))
        #expect(dot.contains("label=\"say \\\"hi\\\"\";"))  // the modality cluster
    }

    @Test func modalityIsTheNameBeforeTheFirstDot() {
        #expect(GenotypeGraph.modality(of: "pix.0") == "pix")
        #expect(GenotypeGraph.modality(of: "audio.mel.2") == "audio")
        #expect(GenotypeGraph.modality(of: "plain") == "plain")
    }

    @Test func badIndicesAreReportedNotFatal() throws {
        let broken = Genotype(
            searchSpace: "bmnas", inputs: ["a.0", "b.0"],
            cells: [CellGenotype(inputs: [7, 1], steps: [StepGenotype(inputs: [0, 3], primitive: "sum")])])
        let graph = GenotypeGraph(broken)
        #expect(graph.problems.count == 2)
        #expect(graph.problems.contains { $0.contains("node 7") })
        #expect(graph.problems.contains { $0.contains("local node 3") })
        let dot = renderer.dot(broken)
        #expect(dot.contains("invalid_0 ["))
        #expect(dot.contains("invalid_1 ["))
        let svg = renderer.svg(broken)
        let summary = try #require(XMLSummary.of(svg))
        #expect(summary.texts.joined().contains("problem: cell 0 input 0 is node 7"))
    }

    @Test func svgIsWellFormedAndNamesEveryPrimitiveInputAndCell() throws {
        let svg = renderer.svg(renderingFixture)
        let summary = try #require(XMLSummary.of(svg))
        #expect(summary.counts["svg"] == 1)
        #expect(summary.counts["marker"] == 1)
        let text = summary.texts.joined()
        for primitive in renderingFixture.cells.flatMap(\.steps).map(\.primitive) {
            #expect(text.contains(primitive))
        }
        for input in renderingFixture.inputs { #expect(text.contains(input)) }
        for line in renderingFixture.description.components(separatedBy: "; ") { #expect(text.contains(line)) }
        #expect(text.contains("fused output"))
        #expect(text.contains("cell 0 output") && text.contains("cell 1 output"))
        let arrows = summary.attributes.filter { $0["marker-end"] == "url(#arrow)" }
        #expect(arrows.count == Self.expectedEdges)
        // pix.0 into cell 1 and cell 0 into the fused output skip a column: they run straight along a lane.
        #expect(arrows.filter { $0["d"]?.contains(" L ") ?? false }.count == 2)
        // The unused input is dashed; the legend shows one dashed swatch too.
        #expect(summary.attributes.filter { $0["stroke-dasharray"] != nil }.count == 2)
    }

    @Test func svgCoordinatesStayInsideTheCanvas() throws {
        let svg = renderer.svg(renderingFixture)
        let summary = try #require(XMLSummary.of(svg))
        let root = try #require(summary.attributes.first)
        let width = try #require(Double(root["width"] ?? "")), height = try #require(Double(root["height"] ?? ""))
        for rect in summary.attributes where rect["rx"] != nil {
            let x = try #require(Double(rect["x"] ?? "")), y = try #require(Double(rect["y"] ?? ""))
            let w = try #require(Double(rect["width"] ?? "")), h = try #require(Double(rect["height"] ?? ""))
            #expect(x >= 0 && y >= 0 && x + w <= width && y + h <= height)
        }
    }

    @Test func missingGraphvizNamesWhatToInstall() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-graphviz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let out = empty.appendingPathComponent("g.png")
        do {
            try renderer.renderWithGraphviz(dot: "digraph g {}", format: .png, to: out, searchPath: [empty.path])
            Issue.record("expected an error without dot on the search path")
        } catch let error as ComponentError {
            #expect(error.message.contains("apt-get install graphviz"))
            #expect(error.message.contains("--format svg"))
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// The external check runs only where Graphviz is installed; the structural tests above always run.
    @Test func graphvizAcceptsTheDOTWhenInstalled() throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        guard GenotypeRenderer.findGraphviz(in: path.split(separator: ":").map(String.init)) != nil else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("graphviz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let svgURL = directory.appendingPathComponent("genotype.svg")
        try renderer.renderWithGraphviz(dot: renderer.dot(renderingFixture), format: .svg, to: svgURL)
        let summary = try #require(XMLSummary.of(try String(contentsOf: svgURL, encoding: .utf8)))
        #expect(summary.texts.joined().contains("scale_dot_attention"))
        #expect(summary.counts["g", default: 0] >= Self.expectedEdges)

        let pngURL = directory.appendingPathComponent("genotype.png")
        try renderer.renderWithGraphviz(dot: renderer.dot(renderingFixture), format: .png, to: pngURL)
        let png = try Data(contentsOf: pngURL)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))

        let broken = Genotype(
            searchSpace: "bmnas", inputs: ["say \"hi\".0"],
            cells: [CellGenotype(inputs: [0, 5], steps: [StepGenotype(inputs: [0, 1], primitive: "a\\b")])])
        try renderer.renderWithGraphviz(dot: renderer.dot(broken), format: .pdf, to: directory.appendingPathComponent("b.pdf"))

        let unwritable = directory.appendingPathComponent("no/such/dir/g.pdf")
        #expect {
            try renderer.renderWithGraphviz(dot: "digraph g {}", format: .pdf, to: unwritable)
        } throws: { error in
            (error as? ComponentError)?.message.contains(unwritable.path) ?? false
        }
    }
}
