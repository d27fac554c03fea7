import Foundation

/// A GitHub-flavoured Markdown table with padded columns, for `summary.md` and terminal output.
///
/// ```swift
/// var table = MarkdownTable(headers: ["labels", "accuracy"], alignments: [.right, .right])
/// table.addRow(["0.1", "0.912"])
/// print(table.render())
/// ```
public struct MarkdownTable: Sendable {
    public enum Alignment: Sendable { case left, right, center }

    public let headers: [String]
    public let alignments: [Alignment]
    public private(set) var rows: [[String]] = []

    public init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? Array(repeating: .left, count: headers.count)
        precondition(self.alignments.count == headers.count, "MarkdownTable: one alignment per column")
    }

    /// Adds a row; short rows are padded with empty cells, long rows are a programming error.
    public mutating func addRow(_ cells: [String]) {
        precondition(cells.count <= headers.count, "MarkdownTable: row has \(cells.count) cells for \(headers.count) columns")
        rows.append(cells + Array(repeating: "", count: headers.count - cells.count))
    }

    public func render() -> String {
        // A pipe inside a cell would end the cell; newlines would end the row.
        let escapedRows = ([headers] + rows).map { row in
            row.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        }
        let widths = headers.indices.map { column in max(3, escapedRows.map { $0[column].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, cell in
                let space = String(repeating: " ", count: widths[column] - cell.count)
                return alignments[column] == .right ? space + cell : cell + space
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let rule = widths.enumerated().map { column, width -> String in
            switch alignments[column] {
            case .left: String(repeating: "-", count: width)
            case .right: String(repeating: "-", count: width - 1) + ":"
            case .center: ":" + String(repeating: "-", count: width - 2) + ":"
            }
        }
        return ([line(escapedRows[0]), "| " + rule.joined(separator: " | ") + " |"] + escapedRows.dropFirst().map(line))
            .joined(separator: "\n") + "\n"
    }
}
