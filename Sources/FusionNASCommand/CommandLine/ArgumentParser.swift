import Foundation

/// Turns one subcommand's arguments into ``OptionValues`` following its declared options.
///
/// Accepts `--name value`, `--name=value`, flags, repeatable options and `--` before bare words
/// that start with a dash. Resolution order: defaults, then `--config FILE` (when the command
/// declares `config`), then the command line. Every mistake is a ``UsageError`` that says what to
/// type instead.
public struct ArgumentParser: Sendable {
    /// The outcome of parsing: values to run with, or a request for help.
    public enum Outcome: Sendable {
        case values(OptionValues)
        case help
    }

    public let specs: [OptionSpec]
    public let positionals: [PositionalSpec]

    public init(specs: [OptionSpec], positionals: [PositionalSpec] = []) {
        let names = specs.map(\.name)
        precondition(Set(names).count == names.count, "ArgumentParser: duplicate option in \(names)")
        self.specs = specs
        self.positionals = positionals
    }

    public func parse(_ arguments: [String]) throws -> Outcome {
        var given: [(spec: OptionSpec, value: OptionValue, raw: String)] = []
        var bareWords: [String] = []
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                bareWords.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            if argument == "--help" || argument == "-h" { return .help }

            let body = argument.hasPrefix("--") ? String(argument.dropFirst(2)) : String(argument.dropFirst())
            let (name, inlineValue) = Self.split(body)
            guard argument.hasPrefix("--"), let spec = specs.first(where: { $0.name == name }) else {
                throw unknownOption(argument, name: name)
            }
            if !spec.kind.takesValue {
                if let inlineValue {
                    throw UsageError("--\(name) is a flag and takes no value; write --\(name), not --\(name)=\(inlineValue)")
                }
                given.append((spec, .flag(true), ""))
                continue
            }
            let raw: String
            if let inlineValue {
                raw = inlineValue
            } else if index < arguments.count, !arguments[index].hasPrefix("--") {
                raw = arguments[index]
                index += 1
            } else {
                throw Self.badValue(spec, got: nil)
            }
            guard let value = spec.kind.convert(raw) else { throw Self.badValue(spec, got: raw) }
            given.append((spec, value, raw))
        }

        var result = OptionValues(specs: specs)
        if let configSpec = specs.first(where: { $0.name == CommonOptions.config.name }),
            let entry = given.last(where: { $0.spec.name == configSpec.name }),
            case .string(let path) = entry.value
        {
            let file = try ConfigurationFile.load(path: path, specs: specs)
            for (name, value) in file { result.set(name, value, from: .configurationFile(path)) }
        }
        try apply(given, to: &result)
        try assignPositionals(bareWords, to: &result)
        return .values(result)
    }

    /// Command-line values replace file and default values; repeated options collect, others may appear once.
    private func apply(_ given: [(spec: OptionSpec, value: OptionValue, raw: String)], to result: inout OptionValues)
        throws
    {
        var collected: [String: [String]] = [:]
        var firstRaw: [String: String] = [:]
        for (spec, value, raw) in given {
            if spec.isRepeatable {
                switch value {
                case .list(let items): collected[spec.name, default: []] += items
                default: collected[spec.name, default: []].append(value.commandLineText)
                }
                continue
            }
            if let previous = firstRaw[spec.name] {
                let shown = spec.kind.takesValue ? " ('\(previous)' and '\(raw)')" : ""
                throw UsageError("--\(spec.name) was given twice\(shown); give it once")
            }
            firstRaw[spec.name] = raw
            result.set(spec.name, value, from: .commandLine)
        }
        for (name, items) in collected { result.set(name, .list(items), from: .commandLine) }
    }

    private func assignPositionals(_ words: [String], to result: inout OptionValues) throws {
        let required = positionals.filter { !$0.isOptional }
        if words.count < required.count {
            let missing = required[words.count]
            throw UsageError("missing \(missing.name): \(missing.help)")
        }
        if words.count > positionals.count {
            let extra = words[positionals.count]
            if let spec = specs.first(where: { $0.name == extra }) {
                throw UsageError("unexpected argument '\(extra)'; did you mean '\(spec.usage)'?")
            }
            throw UsageError("unexpected argument '\(extra)'; options start with '--'")
        }
        result.positionals = words
    }

    private func unknownOption(_ argument: String, name: String) -> UsageError {
        let candidates = specs.map(\.name) + ["help"]
        if let suggestion = closestMatch(to: name, among: candidates) {
            return UsageError("unknown option '\(argument.split(separator: "=").first ?? "")'; did you mean '--\(suggestion)'?")
        }
        return UsageError("unknown option '\(argument.split(separator: "=").first ?? "")'")
    }

    /// `--labels expects a fraction in (0, 1], e.g. --labels 0.1; got 'ten'`.
    static func badValue(_ spec: OptionSpec, got raw: String?) -> UsageError {
        let got = raw.map { "got '\($0)'" } ?? "got nothing"
        return UsageError("--\(spec.name) expects \(spec.kind.expectation), e.g. --\(spec.name) \(spec.kind.example); \(got)")
    }

    private static func split(_ body: String) -> (name: String, value: String?) {
        guard let equals = body.firstIndex(of: "=") else { return (body, nil) }
        return (String(body[..<equals]), String(body[body.index(after: equals)...]))
    }
}
