import Foundation

/// Why a checkpoint's tensors do not fit a module; lists every problem at once so one fix suffices.
public struct StateLoadingError: Error, Equatable, CustomStringConvertible {
    /// Names the module has but the checkpoint lacks.
    public let missingKeys: [String]
    /// Names the checkpoint has but the module lacks.
    public let unexpectedKeys: [String]
    /// Tensors present in both with different shapes.
    public let shapeMismatches: [ShapeMismatch]
    /// The checkpoint file, when the tensors came from one.
    public var file: URL?

    /// One tensor whose checkpoint shape differs from the model's.
    public struct ShapeMismatch: Equatable, Sendable, CustomStringConvertible {
        public let name: String
        public let checkpointShape: [Int]
        public let modelShape: [Int]

        public var description: String {
            "\(name): checkpoint shape \(checkpointShape), model shape \(modelShape)"
        }
    }

    public init(missingKeys: [String], unexpectedKeys: [String], shapeMismatches: [ShapeMismatch]) {
        self.missingKeys = missingKeys
        self.unexpectedKeys = unexpectedKeys
        self.shapeMismatches = shapeMismatches
    }

    public var description: String {
        var lines = ["\(file.map { $0.path + ": " } ?? "")checkpoint does not match the model:"]
        if !missingKeys.isEmpty { lines.append("missing keys: " + missingKeys.joined(separator: ", ")) }
        if !unexpectedKeys.isEmpty { lines.append("unexpected keys: " + unexpectedKeys.joined(separator: ", ")) }
        lines += shapeMismatches.map(\.description)
        return lines.joined(separator: "\n  ")
    }
}
