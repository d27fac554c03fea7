/// A parsed, validated option value.
public enum OptionValue: Sendable, Equatable {
    case flag(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([String])

    /// The value as it appears in a configuration file.
    public var json: JSONValue {
        switch self {
        case .flag(let value): .bool(value)
        case .int(let value): .int(value)
        case .double(let value): .double(value)
        case .string(let value): .string(value)
        case .list(let values): .array(values.map(JSONValue.string))
        }
    }

    /// The value as it would be typed after the option name, for help text.
    public var commandLineText: String {
        switch self {
        case .flag(let value): String(value)
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): value
        case .list(let values): values.joined(separator: ",")
        }
    }
}
