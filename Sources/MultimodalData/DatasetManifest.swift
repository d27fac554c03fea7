import Foundation

/// The JSON description of a user's dataset: where each modality's features and the labels are,
/// and optionally the split. Paths are relative to the manifest's directory. See Docs/data.md.
///
/// Unknown keys are rejected (a misspelt optional key would otherwise be silently ignored).
public struct DatasetManifest: Codable, Sendable, Equatable {
    /// One modality: either one feature file (`file`, with `dataset` naming the array inside an
    /// `.npz` or HDF5 file) or, for `feature-levels`, one entry per level.
    public struct ModalityEntry: Codable, Sendable, Equatable {
        public var name: String
        public var file: String?
        public var dataset: String?
        /// `vector`, `sequence`, `image` or `feature-levels`.
        public var kind: String
        /// The per-sample shape to reshape each row to (checked against the element count).
        public var shape: [Int]?
        public var levels: [LevelEntry]?
        /// The registry name of the encoder for this modality; nil for the kind's default.
        public var encoder: String?
    }

    /// One level of a feature-levels modality; `file` defaults to the modality's file.
    public struct LevelEntry: Codable, Sendable, Equatable {
        public var file: String?
        public var dataset: String?
        public var shape: [Int]?
    }

    /// Where the labels are and how they are written.
    public struct LabelsEntry: Codable, Sendable, Equatable {
        public var file: String
        public var dataset: String?
        /// `multi-class` or `multi-label`.
        public var kind: String
        /// `integer` (class indices), `one-hot` (an N x K 0/1 matrix) or `names` (a text file with one
        /// line per sample: a class name, or for multi-label `|`-separated label names; names may be
        /// double-quoted and a first line that is not a label may be a header, as in a one-column CSV).
        public var format: String
        /// Class or label names for `integer` and `one-hot` labels (default "0", "1", ...).
        public var names: [String]?
    }

    /// Files of sample indices (`.npy` or text with whitespace- or comma-separated integers).
    public struct SplitEntry: Codable, Sendable, Equatable {
        public var train: String
        public var validation: String
        public var test: String
    }

    public var name: String?
    public var modalities: [ModalityEntry]
    public var labels: LabelsEntry
    /// Without a split, a seeded stratified 70/15/15 split is made.
    public var split: SplitEntry?
    /// The seed of the default split (0 if absent).
    public var seed: UInt64?

    /// The keys allowed at each level of the JSON object.
    static let allowedKeys: [String: Set<String>] = [
        "manifest": ["name", "modalities", "labels", "split", "seed"],
        "modalities[]": ["name", "file", "dataset", "kind", "shape", "levels", "encoder"],
        "levels[]": ["file", "dataset", "shape"],
        "labels": ["file", "dataset", "kind", "format", "names"],
        "split": ["train", "validation", "test"],
    ]

    /// Decodes a manifest after checking every object for keys it does not know.
    public static func decode(_ data: Data, source: String) throws -> DatasetManifest {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw DataError(source, "not valid JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any] else { throw DataError(source, "the manifest must be a JSON object") }
        try checkKeys(root, "manifest", path: "", source: source)
        if let modalities = root["modalities"] as? [Any] {
            for (i, entry) in modalities.enumerated() {
                guard let entry = entry as? [String: Any] else { continue }
                try checkKeys(entry, "modalities[]", path: "modalities[\(i)].", source: source)
                for (j, level) in ((entry["levels"] as? [Any]) ?? []).enumerated() {
                    if let level = level as? [String: Any] {
                        try checkKeys(level, "levels[]", path: "modalities[\(i)].levels[\(j)].", source: source)
                    }
                }
            }
        }
        if let labels = root["labels"] as? [String: Any] { try checkKeys(labels, "labels", path: "labels.", source: source) }
        if let split = root["split"] as? [String: Any] { try checkKeys(split, "split", path: "split.", source: source) }
        // JSONDecoder reports a negative or fractional seed as "The given data was not valid JSON".
        if let seed = root["seed"] as? NSNumber, UInt64(seed.stringValue) == nil {
            throw DataError(source, "field 'seed' must be a whole number from 0 to \(UInt64.max), got \(seed.stringValue)")
        }
        do {
            return try JSONDecoder().decode(DatasetManifest.self, from: data)
        } catch let DecodingError.typeMismatch(type, context) {
            throw DataError(source, "field '\(fieldPath(context))' has the wrong type: expected \(type)")
        } catch let DecodingError.keyNotFound(key, context) {
            let parent = fieldPath(context)
            throw DataError(source, "required field '\(parent.isEmpty ? "" : parent + ".")\(key.stringValue)' is missing")
        } catch let DecodingError.valueNotFound(type, context) {
            throw DataError(source, "field '\(fieldPath(context))' is null, expected \(type)")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw DataError(source, "field '\(fieldPath(context))' has a value this field cannot hold (\(context.debugDescription))")
        } catch {
            throw DataError(source, "cannot decode the manifest: \(error)")
        }
    }

    private static func checkKeys(_ object: [String: Any], _ kind: String, path: String, source: String) throws {
        let allowed = allowedKeys[kind]!
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw DataError(source, "unknown key '\(path)\(unknown)'; allowed keys: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    private static func fieldPath(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            .reduce("") { $0.isEmpty || $1.hasPrefix("[") ? $0 + $1 : $0 + "." + $1 }
    }
}
