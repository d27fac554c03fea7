/// One option of a subcommand, declared once: name, kind, default and one line of help.
///
/// ```swift
/// OptionSpec(name: "epochs", kind: .int(minimum: 1), default: .int(50), help: "Search epochs.")
/// ```
public struct OptionSpec: Sendable {
    /// The long name without dashes (`epochs` for `--epochs`); also the configuration-file key.
    public let name: String
    public let kind: OptionKind
    /// The value when neither the command line nor the configuration file gives one.
    public let defaultValue: OptionValue?
    /// What help shows as the default when there is no fixed one ("all cores", "runs/<time>-<command>").
    public let defaultDescription: String?
    /// One line for `--help`.
    public let help: String
    /// Whether the option may be given several times; the values collect into a list.
    public let isRepeatable: Bool
    /// Whether `--help` leaves the option out: for options one process of the tool passes to
    /// another (e.g. `run --arm` for a worker), which a person never types.
    public let isHidden: Bool

    public init(
        name: String, kind: OptionKind, default defaultValue: OptionValue? = nil, defaultDescription: String? = nil,
        help: String, repeatable: Bool = false, hidden: Bool = false
    ) {
        precondition(!name.hasPrefix("-"), "OptionSpec: give '\(name)' without leading dashes")
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue ?? (kind.takesValue ? (repeatable ? .list([]) : nil) : .flag(false))
        self.defaultDescription = defaultDescription
        self.help = help
        self.isRepeatable = repeatable
        self.isHidden = hidden
    }

    /// The option as typed, with its placeholder: `--epochs N`.
    public var usage: String {
        kind.takesValue ? "--\(name) \(kind.placeholder)" : "--\(name)"
    }
}

/// A bare word a subcommand expects after its options, like the run directory of `inspect`.
public struct PositionalSpec: Sendable {
    /// Shown in usage and errors: `RUN_DIR`.
    public let name: String
    public let help: String
    public let isOptional: Bool

    public init(name: String, help: String, optional: Bool = false) {
        self.name = name
        self.help = help
        self.isOptional = optional
    }
}
