import FileChecks
import Foundation

/// A discrete fusion architecture: plain data, stored as versioned JSON, that builds the found network.
///
/// Node numbering: the search space's input nodes come first (in `inputs` order), then cell 0, cell 1, ...
/// Inside a cell, the local numbering is the search space's ``GenotypeSchema`` (``schema``): the
/// cell's inputs first, then its steps.
///
/// Version 2 files carry the schema; version-1 files, written when every space had BM-NAS's two-input
/// cells, carry none and are read with ``GenotypeSchema/twoInputCells``. A genotype with a
/// ``structure`` is written as version 3 (``structuredVersion``), so that a build that does not know
/// the field refuses the file rather than build another network than the one searched.
public struct Genotype: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The JSON format version this code writes for a genotype without a ``structure``.
    public static let currentVersion = 2
    /// The version of a genotype with a ``structure``.
    public static let structuredVersion = 3
    /// The versions ``load(from:)`` reads.
    public static let readableVersions = 1...structuredVersion

    public var version: Int
    /// The search space that reads it (`fusionnas`, `bmnas`, or a plugin's); no other space builds it.
    public var searchSpace: String
    /// How the cells number their nodes; the search space's ``SearchSpace/genotypeSchema``.
    public var schema: GenotypeSchema
    /// Names of the input nodes (modality feature levels).
    public var inputs: [String]
    public var cells: [CellGenotype]
    /// The `fusionnas` space's structure switches the genotype was searched with; nil for
    /// `fusionnas`'s own structure (``NetworkStructure/fusionnas``), which every genotype written
    /// before the switches existed has. Only `fusionnas` builds a genotype that has one.
    public var structure: NetworkStructure? {
        didSet { normalizeStructure() }
    }

    /// The structure the genotype builds: ``structure``, else `fusionnas`'s.
    public var networkStructure: NetworkStructure { structure ?? .fusionnas }

    /// `fusionnas`'s own structure is stored as none, so its files stay as they were, and the
    /// version says whether the file has a structure.
    private mutating func normalizeStructure() {
        if structure == .fusionnas { structure = nil }
        version = structure == nil ? min(version, Genotype.currentVersion) : max(version, Genotype.structuredVersion)
    }

    /// - Parameter schema: the search space's ``SearchSpace/genotypeSchema``; a space whose cells
    ///   are not BM-NAS's two-input cells must pass its own.
    /// - Parameter structure: the `fusionnas` structure switches searched with; nil (or
    ///   ``NetworkStructure/fusionnas``) for none.
    public init(
        searchSpace: String, inputs: [String], cells: [CellGenotype], schema: GenotypeSchema = .twoInputCells,
        structure: NetworkStructure? = nil
    ) {
        version = Genotype.currentVersion
        self.searchSpace = searchSpace
        self.schema = schema
        self.inputs = inputs
        self.cells = cells
        self.structure = structure
        normalizeStructure()
    }

    private enum CodingKeys: String, CodingKey { case version, searchSpace, schema, inputs, cells, structure }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        searchSpace = try container.decode(String.self, forKey: .searchSpace)
        inputs = try container.decode([String].self, forKey: .inputs)
        cells = try container.decode([CellGenotype].self, forKey: .cells)
        // Version 1 predates the schema: every space then had two-input cells. A version this
        // build does not read is not required to have one, so that load(from:) can name the version.
        schema = version >= 2 && Genotype.readableVersions.contains(version)
            ? try container.decode(GenotypeSchema.self, forKey: .schema)
            : try container.decodeIfPresent(GenotypeSchema.self, forKey: .schema) ?? .twoInputCells
        // Absent in every file written before the switches: fusionnas's structure. The version is
        // kept as read (no normalising), so that load(from:) can refuse an unknown one.
        structure = try container.decodeIfPresent(NetworkStructure.self, forKey: .structure)
        if structure == .fusionnas { structure = nil }
    }

    /// The name of global node `index` (an input or a cell).
    public func nodeName(_ index: Int) -> String {
        index < inputs.count ? inputs[index] : "cell \(index - inputs.count)"
    }

    /// The architecture in words, e.g. `cell 0 = concat_fc(pix.1, fou.0); cell 1 = linear_glu(cell 0, fou.0)`.
    public var description: String {
        cells.enumerated().map { c, cell in
            let local = { (i: Int) -> String in self.localNodeName(i, cell: cell) }
            let steps = cell.steps.map { "\($0.primitive)(\($0.inputs.map(local).joined(separator: ", ")))" }
            return "cell \(c) = " + steps.joined(separator: " -> ")
        }.joined(separator: "; ")
    }

    /// The name of `cell`'s local node `index` under ``schema``: the node a cell input is, or
    /// `step j`; `?` marks an index that names nothing (``structuralProblems`` says why).
    public func localNodeName(_ index: Int, cell: CellGenotype) -> String {
        switch schema.localNode(index) {
        case .cellInput(let i): i < cell.inputs.count ? nodeName(cell.inputs[i]) : "?"
        case .step(let j): "step \(j)"
        case .none: "?"
        }
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
        guard readableVersions.contains(genotype.version) else {
            throw ComponentError(
                "\(url.path): genotype format version \(genotype.version), this build reads versions \(readableVersions.lowerBound) to \(readableVersions.upperBound)")
        }
        return genotype
    }
}

/// One cell: its inputs (global node indices, as many as the schema's ``GenotypeSchema/cellInputs``) and its steps.
public struct CellGenotype: Codable, Equatable, Sendable {
    public var inputs: [Int]
    public var steps: [StepGenotype]
    public init(inputs: [Int], steps: [StepGenotype]) {
        self.inputs = inputs
        self.steps = steps
    }
}

/// One step: its inputs (cell-local node indices, see ``GenotypeSchema``) and its primitive's registry name.
public struct StepGenotype: Codable, Equatable, Sendable {
    public var inputs: [Int]
    public var primitive: String
    public init(inputs: [Int], primitive: String) {
        self.inputs = inputs
        self.primitive = primitive
    }
}
