/// Why optimizer state could not be loaded from a checkpoint.
public enum OptimizerStateError: Error, Equatable, CustomStringConvertible {
    /// A required entry is absent.
    case missingEntry(String)
    /// An entry's shape does not fit the parameter it belongs to.
    case shapeMismatch(key: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .missingEntry(let key): "optimizer state: missing entry \"\(key)\""
        case .shapeMismatch(let key, let expected, let found):
            "optimizer state: entry \"\(key)\" has shape \(found), expected \(expected)"
        }
    }
}
