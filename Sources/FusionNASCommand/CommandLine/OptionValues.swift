import Foundation

/// The resolved options of one invocation: defaults, overridden by the configuration file,
/// overridden by the command line. Read them by name with the typed accessors.
///
/// Asking for an undeclared name or the wrong type is a programming error and stops the program,
/// because it means the subcommand and its declaration disagree.
public struct OptionValues: Sendable {
    /// Where a value came from, for `--verbose` printing and debugging surprising settings.
    public enum Source: Sendable, Equatable {
        case defaultValue
        case configurationFile(String)
        case commandLine
    }

    public let specs: [OptionSpec]
    public private(set) var values: [String: OptionValue]
    public private(set) var sources: [String: Source]
    /// Bare words after the options, in order.
    public internal(set) var positionals: [String]

    init(specs: [OptionSpec]) {
        self.specs = specs
        values = [:]
        sources = [:]
        positionals = []
        for spec in specs {
            if let value = spec.defaultValue {
                values[spec.name] = value
                sources[spec.name] = .defaultValue
            }
        }
    }

    mutating func set(_ name: String, _ value: OptionValue, from source: Source) {
        values[name] = value
        sources[name] = source
    }

    public func spec(_ name: String) -> OptionSpec {
        guard let spec = specs.first(where: { $0.name == name }) else {
            preconditionFailure("option '--\(name)' is not declared by this command")
        }
        return spec
    }

    /// The value of `name`, or nil when it has no default and was not given.
    public func value(_ name: String) -> OptionValue? {
        _ = spec(name)
        return values[name]
    }

    /// Whether `name` was given on the command line or in the configuration file.
    public func isExplicit(_ name: String) -> Bool {
        sources[name].map { $0 != .defaultValue } ?? false
    }

    public func flag(_ name: String) -> Bool {
        guard case .flag(let on) = value(name) else { preconditionFailure("'--\(name)' is not a flag") }
        return on
    }

    public func optionalInt(_ name: String) -> Int? {
        switch value(name) {
        case .int(let value): value
        case nil: nil
        default: preconditionFailure("'--\(name)' is not a whole-number option")
        }
    }

    public func int(_ name: String) -> Int {
        guard let value = optionalInt(name) else { preconditionFailure("'--\(name)' has no value and no default") }
        return value
    }

    public func optionalDouble(_ name: String) -> Double? {
        switch value(name) {
        case .double(let value): value
        case .int(let value): Double(value)
        case nil: nil
        default: preconditionFailure("'--\(name)' is not a number option")
        }
    }

    public func double(_ name: String) -> Double {
        guard let value = optionalDouble(name) else { preconditionFailure("'--\(name)' has no value and no default") }
        return value
    }

    public func optionalString(_ name: String) -> String? {
        switch value(name) {
        case .string(let value): value
        case nil: nil
        default: preconditionFailure("'--\(name)' is not a text option")
        }
    }

    public func string(_ name: String) -> String {
        guard let value = optionalString(name) else { preconditionFailure("'--\(name)' has no value and no default") }
        return value
    }

    /// A path option as a file URL (relative paths resolve against the current directory).
    public func url(_ name: String) -> URL? {
        optionalString(name).map { URL(fileURLWithPath: $0) }
    }

    /// A list option, or the values of a repeatable option; nil when a list has no value and no default.
    public func optionalList(_ name: String) -> [String]? {
        switch value(name) {
        case .list(let values): values
        case .string(let value): [value]
        case nil: nil
        default: preconditionFailure("'--\(name)' is not a list option")
        }
    }

    public func list(_ name: String) -> [String] { optionalList(name) ?? [] }

    /// Every option with a value, keyed by name, excluding `config` itself so the result can be saved
    /// and passed back with `--config` to repeat the run.
    public var configuration: [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        for (name, value) in values where name != CommonOptions.config.name { object[name] = value.json }
        return object
    }

    /// ``configuration`` as pretty JSON with sorted keys, for printing and for `config.json`.
    public func renderedConfiguration() -> String {
        JSONValue.object(configuration).rendered(pretty: true) + "\n"
    }
}
