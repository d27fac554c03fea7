import Foundation
import FusionNAS
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import FusionNASCommand

/// Whether `text` parses as XML.
private func isWellFormedXML(_ text: String) -> Bool {
    XMLParser(data: Data(text.utf8)).parse()
}

/// Two cells; `kar.0` is read by no step.
private let genotype = Genotype(
    searchSpace: "bmnas", inputs: ["pix.0", "fou.0", "kar.0"],
    cells: [
        CellGenotype(inputs: [0, 1], steps: [
            StepGenotype(inputs: [0, 1], primitive: "concat_fc"),
            StepGenotype(inputs: [2, 0], primitive: "scale_dot_attention"),
        ]),
        CellGenotype(inputs: [3, 1], steps: [StepGenotype(inputs: [1, 0], primitive: "linear_glu")]),
    ])

/// A search history with the BM-NAS weight names for `genotype`'s shape (2 cells, 2 and 1 steps).
private func history(epochs: Int) throws -> [SearchEpochRecord] {
    let primitiveCount = 3
    return try (1...epochs).map { epoch in
        let t = Float(epoch) / Float(epochs)
        func softmaxLike(_ n: Int) -> [Float] {
            let raw = (0..<n).map { 1 + t * Float($0) }
            let sum = raw.reduce(0, +)
            return raw.map { $0 / sum }
        }
        var weights: [String: [Float]] = [:]
        for k in 0..<2 {
            weights["cell\(k).input0"] = softmaxLike(3 + k)
            weights["cell\(k).input1"] = softmaxLike(3 + k)
            for s in 0..<(k == 0 ? 2 : 1) {
                weights["cell\(k).step\(s).input0"] = softmaxLike(2 + s)
                weights["cell\(k).step\(s).input1"] = softmaxLike(2 + s)
                weights["cell\(k).step\(s).primitive"] = softmaxLike(primitiveCount)
            }
        }
        // SearchEpochRecord has no public initialiser; its JSON form is its public contract anyway.
        let record: [String: Any] = [
            "epoch": epoch, "trainLoss": 1.0, "heldOutLoss": 1.0, "score": 0.5, "seconds": 0.1,
            "genotype": try JSONSerialization.jsonObject(with: genotype.jsonData()),
            "architectureWeights": weights.mapValues { $0.map(Double.init) },
        ]
        return try JSONDecoder().decode(SearchEpochRecord.self, from: JSONSerialization.data(withJSONObject: record))
    }
}

@Suite struct RenderingWeightPlotTests {
    static let primitives = ["sum", "concat_fc", "scale_dot_attention"]

    @Test func choicesAreInArchitectureOrderWithNamedOptions() throws {
        let plot = ArchitectureWeightPlot(history: try history(epochs: 3).reversed(), primitives: Self.primitives)
        #expect(plot.choices.map(\.name) == [
            "cell0.input0", "cell0.input1", "cell0.step0.input0", "cell0.step0.input1", "cell0.step0.primitive",
            "cell0.step1.input0", "cell0.step1.input1", "cell0.step1.primitive",
            "cell1.input0", "cell1.input1", "cell1.step0.input0", "cell1.step0.input1", "cell1.step0.primitive",
        ])
        let byName = Dictionary(uniqueKeysWithValues: plot.choices.map { ($0.name, $0) })
        #expect(byName["cell1.input0"]?.options == ["pix.0", "fou.0", "kar.0", "cell 0"])
        #expect(byName["cell0.step1.input1"]?.options == ["cell input 0", "cell input 1", "step 0"])
        #expect(byName["cell0.step0.primitive"]?.options == Self.primitives)
        #expect(byName["cell0.input0"]?.epochs == [1, 2, 3])  // sorted although given in reverse
    }

    @Test func primitivesOfAnotherLengthFallBackToNumberedOptions() throws {
        let plot = ArchitectureWeightPlot(history: try history(epochs: 1), primitives: ["sum"])
        #expect(plot.choices.first { $0.name == "cell0.step0.primitive" }?.options
            == ["primitive 0", "primitive 1", "primitive 2"])
    }

    @Test func csvHasOneRowPerEpochChoiceAndOption() throws {
        let records = try history(epochs: 4)
        let plot = ArchitectureWeightPlot(history: records, primitives: Self.primitives)
        let lines = plot.csv().split(separator: "\n").map(String.init)
        #expect(lines.first == "epoch,choice,option,weight")
        let expected = records.map { $0.architectureWeights.values.map(\.count).reduce(0, +) }.reduce(0, +)
        #expect(lines.count - 1 == expected)
        let keys = lines.dropFirst().map { $0.split(separator: ",").prefix(3).joined(separator: ",") }
        #expect(Set(keys).count == keys.count)
        #expect(lines.contains { $0.hasPrefix("4,cell1.input0,cell 0,") })
        let row = try #require(lines.first { $0.hasPrefix("2,cell0.step0.primitive,scale_dot_attention,") })
        let weight = try #require(Double(row.split(separator: ",")[3]))
        let want = records[1].architectureWeights["cell0.step0.primitive"]![2]
        #expect(abs(weight - Double(want)) < 1e-6)
    }

    @Test func csvQuotesOptionNamesWithCommas() {
        #expect(ArchitectureWeightPlot.csvField("a,b") == "\"a,b\"")
        #expect(ArchitectureWeightPlot.csvField("say \"x\"") == "\"say \"\"x\"\"\"")
        #expect(ArchitectureWeightPlot.csvField("pix.0") == "pix.0")
    }

    @Test func svgAndJSONExportsAreWellFormed() throws {
        let plot = ArchitectureWeightPlot(history: try history(epochs: 3), primitives: Self.primitives)
        let svg = plot.svg()
        #expect(isWellFormedXML(svg))
        #expect(svg.components(separatedBy: "class=\"panel\"").count - 1 == plot.choices.count)
        for name in Self.primitives + ["cell1.step0.primitive", "kar.0"] { #expect(svg.contains(name)) }

        let decoded = try JSONDecoder().decode([String: [ArchitectureWeightPlot.Choice]].self, from: plot.json())
        #expect(decoded["choices"] == plot.choices)

        let directory = try makeCommandTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let urls = try plot.write(to: directory)
        #expect(urls.map(\.lastPathComponent) == ["architecture_weights.svg", "architecture_weights.csv", "architecture_weights.json"])
        #expect(urls.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })
    }

    @Test func emptyHistoryStillGivesAValidPicture() {
        let plot = ArchitectureWeightPlot(history: [])
        #expect(plot.choices.isEmpty)
        #expect(isWellFormedXML(plot.svg()))
        #expect(plot.csv() == "epoch,choice,option,weight\n")
    }
}

@Suite struct RenderingGenotypeCommandTests {
    /// Runs `fusion-nas genotype ...` through the real tool; returns status, stdout, stderr.
    private func run(_ arguments: [String]) -> (status: Int32, output: String, errors: String) {
        let output = CapturedOutput(), errors = CapturedOutput()
        let tool = CommandLineTool(
            commands: [GenotypeCommand.makeCommand(output: output.append)],
            standardOutput: output.append, standardError: errors.append)
        let status = tool.run(arguments: ["genotype"] + arguments)
        return (status, output.contents, errors.contents)
    }

    private func genotypeFile() throws -> (directory: URL, file: URL) {
        let directory = try makeCommandTemporaryDirectory()
        let file = directory.appendingPathComponent("found.json")
        try genotype.jsonData().write(to: file)
        return (directory, file)
    }

    @Test func showPrintsTheDescriptionAndATableRowPerStep() throws {
        let (directory, file) = try genotypeFile()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = run(["show", file.path])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains(genotype.description))
        #expect(
            result.output.contains("found.json: bmnas search space, 3 inputs (pix.0, fou.0, kar.0), 2 cells (2 inputs per cell, 2 operands per step)\n"),
            "\(result.output)")
        let rows = result.output.split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(rows.count == 2 + 3)  // header, rule, three steps
        #expect(rows.contains { $0.contains("scale_dot_attention") && $0.contains("step 0, pix.0") })
        #expect(rows.contains { $0.contains("linear_glu") && $0.contains("fou.0, cell 0") })
        #expect(result.output.contains("inputs no step reads: kar.0"))
    }

    /// The heading gives the file's own schema: under three-input cells local node 2 is the third
    /// cell input, not step 0, and the table's operands follow it.
    @Test func showNamesTheCellSchemaOfTheFile() throws {
        let directory = try makeCommandTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("three.json")
        let threeInputs = Genotype(
            searchSpace: "triple", inputs: ["pix.0", "fou.0", "kar.0"],
            cells: [CellGenotype(inputs: [0, 1, 2], steps: [StepGenotype(inputs: [2, 0], primitive: "sum")])],
            schema: GenotypeSchema(cellInputs: 3, stepInputs: 2))
        try threeInputs.jsonData().write(to: file)
        let result = run(["show", file.path])
        #expect(result.status == 0, "\(result.errors)")
        #expect(
            result.output.hasPrefix("three.json: triple search space, 3 inputs (pix.0, fou.0, kar.0), 1 cell (3 inputs per cell, 2 operands per step)\n"),
            "\(result.output)")
        #expect(result.output.split(separator: "\n").contains { $0.hasPrefix("|") && $0.contains("| sum ") && $0.contains("kar.0, pix.0") }, "\(result.output)")
    }

    @Test func renderWritesSVGNextToTheFileAndDOTWhereAsked() throws {
        let (directory, file) = try genotypeFile()
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = run(["render", file.path])
        #expect(svg.status == 0, "\(svg.errors)")
        let svgURL = directory.appendingPathComponent("found.svg")
        #expect(svg.output.contains("wrote \(svgURL.path)"))
        let picture = try String(contentsOf: svgURL, encoding: .utf8)
        #expect(isWellFormedXML(picture))
        #expect(picture.contains("scale_dot_attention"))

        let dotURL = directory.appendingPathComponent("pictures-g.dot")
        let dot = run(["render", file.path, "--format", "dot", "--out", dotURL.path])
        #expect(dot.status == 0, "\(dot.errors)")
        #expect(try String(contentsOf: dotURL, encoding: .utf8).hasPrefix("digraph genotype {"))
    }

    @Test func renderRefusesToOverwriteTheGenotype() throws {
        let (directory, file) = try genotypeFile()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = run(["render", file.path, "--out", file.path])
        #expect(result.status == 2)
        #expect(result.errors.contains("would overwrite the genotype file"))
        #expect(try Genotype.load(from: file) == genotype)
    }

    @Test func missingOrInvalidFilesAreNamedInTheError() throws {
        let missing = "/no/such/dir/genotype.json"
        for action in ["show", "render"] {
            let result = run([action, missing])
            #expect(result.status == 1)
            #expect(result.errors.contains(missing))
        }
        let (directory, _) = try genotypeFile()
        defer { try? FileManager.default.removeItem(at: directory) }
        let notJSON = directory.appendingPathComponent("notes.json")
        try Data("not json".utf8).write(to: notJSON)
        let result = run(["show", notJSON.path])
        #expect(result.status == 1)
        #expect(result.errors.contains("\(notJSON.path) is not a genotype JSON"))
    }

    @Test func misuseIsAUsageError() throws {
        let (directory, file) = try genotypeFile()
        defer { try? FileManager.default.removeItem(at: directory) }
        let unknown = run(["draw", file.path])
        #expect(unknown.status == 2)
        #expect(unknown.errors.contains("unknown action 'draw'"))
        let formatOnShow = run(["show", file.path, "--format", "dot"])
        #expect(formatOnShow.status == 2)
        #expect(formatOnShow.errors.contains("--format applies to 'genotype render'"))
        let badFormat = run(["render", file.path, "--format", "jpeg"])
        #expect(badFormat.status == 2)
        #expect(badFormat.errors.contains("one of svg, dot, png, pdf"))
        #expect(run(["show"]).errors.contains("missing FILE"))
    }
}
