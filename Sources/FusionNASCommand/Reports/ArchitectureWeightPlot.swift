import Foundation
import FusionNAS
import Layers

/// The softmax architecture weights of a search over its epochs: one small chart per choice
/// (`cell0.input0`, `cell0.step1.primitive`, ...) with a line per option, plus CSV and JSON
/// exports of the same numbers for plotting elsewhere.
///
/// Options are named so the charts read on their own: a cell input choice by the candidate nodes
/// (`pix.0`, ..., `cell 0`), a step input choice by the cell-local nodes (`cell input 0`,
/// `cell input 1`, `step 0`, ...), a primitive choice by the configuration's primitive list when
/// given (the records themselves do not carry it).
///
/// ```swift
/// let plot = ArchitectureWeightPlot(history: search.history, primitives: configuration.primitives)
/// try plot.write(to: run.directory)  // architecture_weights.svg, .csv, .json
/// ```
public struct ArchitectureWeightPlot: Sendable {
    /// One choice's weights over the epochs that recorded it.
    public struct Choice: Sendable, Equatable, Codable {
        /// The weight name, e.g. `cell0.step1.primitive`.
        public var name: String
        public var options: [String]
        public var epochs: [Int]
        /// `weights[e][o]`: option `o`'s weight at `epochs[e]`.
        public var weights: [[Float]]
    }

    /// The choices in architecture order: cell by cell, the cell's inputs, then each step's inputs and primitive.
    public let choices: [Choice]

    /// Base name of the files ``write(to:baseName:)`` creates.
    public static let defaultBaseName = "architecture_weights"

    /// - Parameters:
    ///   - history: the search's epoch records, in any order.
    ///   - primitives: the primitive names in the search's order, used to label primitive choices;
    ///     when nil or of another length, options are labelled `primitive 0`, `primitive 1`, ...
    public init(history: [SearchEpochRecord], primitives: [String]? = nil) {
        let records = history.sorted { $0.epoch < $1.epoch }
        let names = Set(records.flatMap(\.architectureWeights.keys)).sorted {
            Self.sortKey($0).lexicographicallyPrecedes(Self.sortKey($1))
        }
        // Input names come from the genotype records carry; the last epoch's is as good as any.
        let genotype = records.last?.genotype
        choices = names.map { name in
            let rows = records.compactMap { record in record.architectureWeights[name].map { (record.epoch, $0) } }
            let width = rows.map(\.1.count).max() ?? 0
            return Choice(
                name: name, options: Self.optionNames(for: name, count: width, genotype: genotype, primitives: primitives),
                epochs: rows.map(\.0), weights: rows.map(\.1))
        }
    }

    /// Labels for the `count` options of choice `name`.
    static func optionNames(for name: String, count: Int, genotype: Genotype?, primitives: [String]?) -> [String] {
        let parts = name.split(separator: ".")
        if parts.count == 2, parts[0].hasPrefix("cell"), parts[1].hasPrefix("input") {
            return (0..<count).map { genotype?.nodeName($0) ?? "node \($0)" }
        }
        if parts.count == 3, parts[1].hasPrefix("step"), parts[2].hasPrefix("input") {
            let schema = genotype?.schema ?? .twoInputCells
            return (0..<count).map { local in
                switch schema.localNode(local) {
                case .cellInput(let i): "cell input \(i)"
                case .step(let j): "step \(j)"
                case .none: "option \(local)"
                }
            }
        }
        if parts.last?.hasPrefix("edge") == true, count == 2 {
            // The `bmnas` space's edges: each its own softmax over {zero, identity}.
            return ["zero", "identity"]
        }
        if parts.last == "primitive" {
            if let primitives, primitives.count == count { return primitives }
            return (0..<count).map { "primitive \($0)" }
        }
        return (0..<count).map { "option \($0)" }
    }

    /// Orders `cell10` after `cell2`, and a cell's own inputs before its steps: numbers compare as
    /// numbers, and a part without a number (`primitive`) after the `inputN` parts of the same step.
    private static func sortKey(_ name: String) -> [SortPart] {
        name.split(separator: ".").map { part in
            let letters = part.prefix { !$0.isNumber }
            let number = Int(part.dropFirst(letters.count))
            let rank = letters == "input" ? 0 : letters == "step" ? 1 : 2
            return SortPart(rank: rank, text: String(letters), number: number ?? -1)
        }
    }

    private struct SortPart: Comparable {
        var rank: Int
        var text: String
        var number: Int
        static func < (a: SortPart, b: SortPart) -> Bool {
            (a.rank, a.text, a.number) < (b.rank, b.text, b.number)
        }
    }

    // MARK: Exports

    /// `epoch,choice,option,weight`: one row per epoch, choice and option, for spreadsheets and pandas.
    public func csv() -> String {
        var lines = ["epoch,choice,option,weight"]
        for epoch in allEpochs {
            for choice in choices {
                guard let e = choice.epochs.firstIndex(of: epoch) else { continue }
                for (o, weight) in choice.weights[e].enumerated() {
                    let option = o < choice.options.count ? choice.options[o] : "option \(o)"
                    lines.append("\(epoch),\(Self.csvField(choice.name)),\(Self.csvField(option)),\(Self.number(weight))")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"choices": [{"name", "options", "epochs", "weights"}]}` as pretty JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Softmax outputs are finite; if a diverged search produced NaN the export must still succeed.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(["choices": choices])
    }

    /// A grid of small charts, one per choice, under a common title.
    public func svg(columns: Int = 2) -> String {
        // SVGPlot keeps about 110 px for legend text; `spill` leaves room for longer option names
        // (`scale_dot_attention`), which the panels are allowed to draw past their own edge.
        let panelWidth = 480, panelHeight = 280, top = 44, spill = 60
        let stride = panelWidth + spill
        let columns = max(1, min(columns, choices.count))
        let rows = (choices.count + columns - 1) / columns
        let width = max(columns * stride, 480)
        let height = top + max(rows, 1) * panelHeight
        var svg = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(width / 2)" y="26" text-anchor="middle" font-size="16">Architecture weights (softmax) by epoch</text>

            """
        if choices.isEmpty {
            svg += "<text x=\"\(width / 2)\" y=\"\(top + 30)\" text-anchor=\"middle\">no architecture weights were recorded</text>\n"
        }
        for (index, choice) in choices.enumerated() {
            var plot = SVGPlot(
                title: choice.name, xLabel: "epoch", yLabel: "weight", width: panelWidth, height: panelHeight)
            for (o, option) in choice.options.enumerated() {
                let points = zip(choice.epochs, choice.weights).compactMap { epoch, weights in
                    o < weights.count ? (x: Double(epoch), y: Double(weights[o])) : nil
                }
                plot.add(option, points: points)
            }
            // Each panel is a complete SVGPlot document, nested as an <svg> element at its grid cell.
            let document = plot.render().split(separator: "\n", maxSplits: 1).last.map(String.init) ?? ""
            let panel = document.replacingOccurrences(
                of: "<svg xmlns=", with: "<svg overflow=\"visible\" xmlns=", options: .anchored)
            let x = (index % columns) * stride, y = top + (index / columns) * panelHeight
            svg += "<g class=\"panel\" transform=\"translate(\(x) \(y))\">\n\(panel)</g>\n"
        }
        return svg + "</svg>\n"
    }

    /// Writes `<baseName>.svg`, `.csv` and `.json` into `directory` and returns their URLs.
    @discardableResult
    public func write(to directory: URL, baseName: String = defaultBaseName) throws -> [URL] {
        let svgURL = directory.appendingPathComponent(baseName + ".svg")
        let csvURL = directory.appendingPathComponent(baseName + ".csv")
        let jsonURL = directory.appendingPathComponent(baseName + ".json")
        try AtomicFile.write(Data(svg().utf8), to: svgURL)
        try AtomicFile.write(Data(csv().utf8), to: csvURL)
        try AtomicFile.write(try json(), to: jsonURL)
        return [svgURL, csvURL, jsonURL]
    }

    private var allEpochs: [Int] { Array(Set(choices.flatMap(\.epochs))).sorted() }

    /// Quotes a CSV field when it holds a comma, quote or line break (RFC 4180).
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Enough digits to tell nearly uniform weights apart (they start within 1e-3 of each other).
    static func number(_ value: Float) -> String { String(format: "%.6g", Double(value)) }
}
