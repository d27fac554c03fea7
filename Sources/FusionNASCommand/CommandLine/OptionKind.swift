import Foundation

/// What an option accepts: how its value is shown in help, checked and converted.
///
/// A kind is data plus one conversion closure, so a subcommand can define its own (a learning-rate
/// kind, a choice among registered objectives) without touching the parser.
public struct OptionKind: Sendable {
    /// Stands for the value in usage lines: `N`, `FRACTION`, `PATH`, `a,b,...`.
    public let placeholder: String
    /// What a valid value is, completing "--labels expects ...": "a fraction in (0, 1]".
    public let expectation: String
    /// A valid value to show in error messages.
    public let example: String
    /// False for flags, which take no value.
    public let takesValue: Bool
    /// Whether the value is a comma-separated list (and a JSON array in configuration files).
    public let isList: Bool
    /// Whether the value names a file or directory.
    public let isPath: Bool
    /// Turns the typed text into a value, or nil when the text is not valid.
    public let convert: @Sendable (String) -> OptionValue?

    public init(
        placeholder: String, expectation: String, example: String, takesValue: Bool = true, isList: Bool = false,
        isPath: Bool = false, convert: @escaping @Sendable (String) -> OptionValue?
    ) {
        self.placeholder = placeholder
        self.expectation = expectation
        self.example = example
        self.takesValue = takesValue
        self.isList = isList
        self.isPath = isPath
        self.convert = convert
    }

    /// An on/off switch given without a value (`--quiet`).
    public static let flag = OptionKind(
        placeholder: "", expectation: "no value", example: "", takesValue: false,
        convert: { text in ["true": .flag(true), "false": .flag(false)][text] })

    /// A whole number, optionally bounded.
    public static func int(minimum: Int? = nil, maximum: Int? = nil, placeholder: String = "N") -> OptionKind {
        let expectation: String
        switch (minimum, maximum) {
        case let (low?, high?): expectation = "a whole number from \(low) to \(high)"
        case let (low?, nil): expectation = "a whole number ≥ \(low)"
        case let (nil, high?): expectation = "a whole number ≤ \(high)"
        case (nil, nil): expectation = "a whole number"
        }
        let example = minimum.map { max($0, min(10, maximum ?? 10)) } ?? min(0, maximum ?? 0)
        return OptionKind(placeholder: placeholder, expectation: expectation, example: String(example)) { text in
            guard let value = Int(text), value >= (minimum ?? .min), value <= (maximum ?? .max) else { return nil }
            return .int(value)
        }
    }

    /// A finite decimal number, optionally required to be positive.
    public static func double(positive: Bool = false, placeholder: String = "X", example: String = "0.5") -> OptionKind {
        OptionKind(
            placeholder: placeholder, expectation: positive ? "a number > 0" : "a number", example: example
        ) { text in
            guard let value = Double(text), value.isFinite, !positive || value > 0 else { return nil }
            return .double(value)
        }
    }

    /// A finite decimal number above `lower` (exclusive), for settings whose component refuses
    /// smaller values: the command line then refuses them first, with the same bound.
    public static func double(above lower: Double, placeholder: String = "X", example: String) -> OptionKind {
        OptionKind(placeholder: placeholder, expectation: "a number > \(lower)", example: example) { text in
            guard let value = Double(text), value.isFinite, value > lower else { return nil }
            return .double(value)
        }
    }

    /// A share of the labelled data: a number in (0, 1].
    public static let fraction = OptionKind(
        placeholder: "FRACTION", expectation: "a fraction in (0, 1]", example: "0.1"
    ) { text in
        guard let value = Double(text), value > 0, value <= 1 else { return nil }
        return .double(value)
    }

    /// Any non-empty text.
    public static func string(placeholder: String = "TEXT", example: String = "name") -> OptionKind {
        OptionKind(placeholder: placeholder, expectation: "a non-empty value", example: example) { text in
            text.isEmpty ? nil : .string(text)
        }
    }

    /// A file or directory path (not checked for existence: outputs may not exist yet).
    public static func path(placeholder: String = "PATH", example: String = "path/to/file") -> OptionKind {
        OptionKind(
            placeholder: placeholder, expectation: "a path", example: example, isPath: true
        ) { text in text.isEmpty ? nil : .string(text) }
    }

    /// One of a fixed set of words.
    public static func choice(_ choices: [String]) -> OptionKind {
        OptionKind(
            placeholder: choices.joined(separator: "|"),
            expectation: "one of " + choices.joined(separator: ", "), example: choices.first ?? ""
        ) { text in choices.contains(text) ? .string(text) : nil }
    }

    /// Comma-separated non-empty names, optionally restricted to `allowed`; duplicates are refused.
    public static func list(placeholder: String = "a,b,...", example: String = "a,b", allowed: [String]? = nil)
        -> OptionKind
    {
        let expectation =
            allowed.map { "a comma-separated list of " + $0.joined(separator: ", ") }
            ?? "a comma-separated list of names"
        return OptionKind(placeholder: placeholder, expectation: expectation, example: example, isList: true) { text in
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard !items.isEmpty, items.allSatisfy({ !$0.isEmpty }), Set(items).count == items.count else { return nil }
            if let allowed, !items.allSatisfy(allowed.contains) { return nil }
            return .list(items)
        }
    }
}
