import FileChecks
import Foundation

/// Reads `--config FILE`: a JSON object whose keys are option names without dashes.
///
/// Values go through the same checks as on the command line. Numbers, strings, booleans (flags)
/// and arrays (lists, repeatable options) are accepted; a list may also be one comma-separated
/// string. The file written by ``OptionValues/renderedConfiguration()`` reads back unchanged.
enum ConfigurationFile {
    static func load(path: String, specs: [OptionSpec]) throws -> [String: OptionValue] {
        let data: Data
        do {
            data = Data(try ReadableFile.bytes(at: path))
        } catch {
            throw UsageError("cannot read configuration file '\(path)': \(error.reason)")
        }
        let document: JSONValue
        do {
            document = try JSONValue.parse(data)
        } catch {
            throw UsageError("configuration file '\(path)' is not valid JSON: \(error)")
        }
        guard case .object(let members) = document else {
            throw UsageError("configuration file '\(path)' must hold a JSON object of option names and values")
        }
        let allowed = specs.filter { $0.name != CommonOptions.config.name }
        var result: [String: OptionValue] = [:]
        for (key, json) in members.sorted(by: { $0.key < $1.key }) {
            guard let spec = allowed.first(where: { $0.name == key }) else {
                let hint = closestMatch(to: key, among: allowed.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
                throw UsageError("unknown key '\(key)' in configuration file '\(path)'\(hint)")
            }
            guard let value = convert(json, for: spec) else {
                throw UsageError(
                    "'\(key)' in configuration file '\(path)' expects \(spec.kind.expectation), "
                        + "e.g. \"\(key)\": \(example(for: spec)); got \(json.rendered(pretty: false))")
            }
            result[key] = value
        }
        return result
    }

    private static func convert(_ json: JSONValue, for spec: OptionSpec) -> OptionValue? {
        if !spec.kind.takesValue {
            if case .bool(let on) = json { return .flag(on) }
            return nil
        }
        if spec.isRepeatable || spec.kind.isList {
            let items: [String]
            switch json {
            case .array(let elements):
                guard let texts = elements.map(scalarText).reduce([String]?([]), { acc, text in
                    guard let acc, let text else { return nil }
                    return acc + [text]
                }) else { return nil }
                items = texts
            default:
                guard let text = scalarText(json) else { return nil }
                items = [text]
            }
            if spec.isRepeatable && !spec.kind.isList {
                guard items.allSatisfy({ spec.kind.convert($0) != nil }) else { return nil }
                return .list(items)
            }
            if items.isEmpty { return spec.isRepeatable ? .list([]) : nil }
            guard case .list(let parsed)? = spec.kind.convert(items.joined(separator: ",")) else { return nil }
            return .list(parsed)
        }
        return scalarText(json).flatMap(spec.kind.convert)
    }

    /// Strings and numbers as the user would type them; booleans, arrays and objects are not scalars here.
    /// A whole Double such as `2.0` is read as `2`, so that it is accepted by integer options too,
    /// as it was when the parser read it as an integer; a Double option reads either as the same value.
    private static func scalarText(_ json: JSONValue) -> String? {
        switch json {
        case .string(let text): text
        case .int(let value): String(value)
        case .double(let value) where value == value.rounded() && abs(value) < 1e15: String(Int(value))
        case .double(let value): String(value)
        default: nil
        }
    }

    private static func example(for spec: OptionSpec) -> String {
        if !spec.kind.takesValue { return "true" }
        if spec.kind.isList || spec.isRepeatable {
            return JSONValue.array(spec.kind.example.split(separator: ",").map { .string(String($0)) })
                .rendered(pretty: false)
        }
        if let value = spec.kind.convert(spec.kind.example) { return value.json.rendered(pretty: false) }
        return JSONValue.string(spec.kind.example).rendered(pretty: false)
    }
}
