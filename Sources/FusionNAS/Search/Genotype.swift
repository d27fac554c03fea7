import FileChecks
import Foundation

/// A discrete fusion architecture: plain data, stored as versioned JSON, that builds the found network.
///
/// Node numbering: the search space's input nodes come first (in `inputs` order), then cell 0, cell 1, ...
/// Inside a cell, local node 0 and 1 are the cell's two inputs and local node 2 + k is step k.
public struct Genotype: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The JSON format version this code writes.
    public static let currentVersion = 1

    public var version: Int
    /// The search space that reads it (`fusionnas`, `bmnas`, or a plugin's); no other space builds it.
    public var searchSpace: String
    /// Names of the input nodes (modality feature levels).
    public var inputs: [String]
    public var cells: [CellGenotype]

    public init(searchSpace: String, inputs: [String], cells: [CellGenotype]) {
        version = Genotype.currentVersion
        self.searchSpace = searchSpace
        self.inputs = inputs
        self.cells = cells
    }

    /// The name of global node `index` (an input or a cell).
    public func nodeName(_ index: Int) -> String {
        index < inputs.count ? inputs[index] : "cell \(index - inputs.count)"
    }

    /// The architecture in words, e.g. `cell 0 = concat_fc(pix.1, fou.0); cell 1 = linear_glu(cell 0, fou.0)`.
    public var description: String {
        cells.enumerated().map { c, cell in
            let local = { (i: Int) -> String in
                i < 2 ? self.nodeName(cell.inputs[i]) : "step \(i - 2)"
            }
            let steps = cell.steps.map { "\($0.primitive)(\($0.inputs.map(local).joined(separator: ", ")))" }
            return "cell \(c) = " + steps.joined(separator: " -> ")
        }.joined(separator: "; ")
    }

    /// Pretty JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a genotype, refusing other format versions with a message naming both.
    public static func load(from url: URL) throws -> Genotype {
        let data: Data
        do { data = Data(try ReadableFile.bytes(at: url.path)) } catch {
            throw ComponentError("cannot read genotype file \(url.path): \(error.reason)")
        }
        let genotype: Genotype
        do { genotype = try JSONDecoder().decode(Genotype.self, from: data) } catch {
            throw ComponentError("\(url.path) is not a genotype JSON: \(error)")
        }
        guard genotype.version == currentVersion else {
            throw ComponentError("\(url.path): genotype format version \(genotype.version), this build reads version \(currentVersion)")
        }
        return genotype
    }
}

/// One cell: its two inputs (global node indices) and its steps.
public struct CellGenotype: Codable, Equatable, Sendable {
    public var inputs: [Int]
    public var steps: [StepGenotype]
    public init(inputs: [Int], steps: [StepGenotype]) {
        self.inputs = inputs
        self.steps = steps
    }
}

/// One step: its inputs (cell-local node indices) and its primitive's registry name.
public struct StepGenotype: Codable, Equatable, Sendable {
    public var inputs: [Int]
    public var primitive: String
    public init(inputs: [Int], primitive: String) {
        self.inputs = inputs
        self.primitive = primitive
    }
}
