import Foundation

/// The sample lines of a `names` labels file, read the way ``CSVReader`` reads a one-column CSV: a
/// name may be double-quoted (with `""` for a quote), and an optional first line naming the column
/// (`label`, `genre`) is a header, so a spreadsheet's export of one column reads as it is.
struct NameLabelLines {
    /// One label text per sample (multi-label: `|`-separated names), unquoted and trimmed.
    var lines: [String]
    /// The file line of `lines[0]`: 2 after a header, else 1.
    var firstLine: Int

    /// Reads `file`; `expectedRows` is the number of samples the features have, if known.
    ///
    /// As the CSV reader takes a first row for a header only when it is not data (a non-numeric
    /// feature), the first line here is a header only when it is not itself a valid label (not in
    /// `names`, or without `names`, not a label of any other line) and dropping it leaves exactly
    /// `expectedRows` lines; otherwise it stays a sample and any mismatch is reported as before.
    init(file: String, names: [String]?, multiLabel: Bool, expectedRows: Int?) throws {
        let text = try TextFile.utf8Bytes(try readFileBytes(file), source: file)
        try TextFile.checkCommaSeparated(text, source: file)
        var lines = TextFile.lines(text).map { Self.unquoted($0.trimmingCharacters(in: .whitespaces)) }
        while lines.last == "" { lines.removeLast() }
        firstLine = 1
        if let expectedRows, lines.count == expectedRows + 1, let first = lines.first, !first.isEmpty {
            let known = Set(names ?? lines.dropFirst().flatMap { Self.parts($0, multiLabel: multiLabel) })
            if !Self.parts(first, multiLabel: multiLabel).allSatisfy(known.contains) {
                lines.removeFirst()
                firstLine = 2
            }
        }
        self.lines = lines
    }

    /// The label names of one line: the whole line, or for multi-label its `|`-separated names.
    static func parts(_ line: String, multiLabel: Bool) -> [String] {
        multiLabel ? line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } : [line]
    }

    /// `"a ""b"""` -> `a "b"`; a line not wrapped in quotes is returned as it is.
    static func unquoted(_ line: String) -> String {
        guard line.count >= 2, line.hasPrefix("\""), line.hasSuffix("\"") else { return line }
        return String(line.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
            .trimmingCharacters(in: .whitespaces)
    }
}
