/// A subcommand: its name, one-line summary, declared options and what it does.
///
/// ```swift
/// Command(
///     name: "search", summary: "Search a fusion architecture.",
///     options: CommonOptions.general + [learningRate]
/// ) { options in
///     let epochs = options.int("epochs")
///     ...
/// }
/// ```
/// `run` signals failure by throwing: a ``UsageError`` exits with 2, an ``ExitCode`` with its
/// status, anything else with 1 after printing the error.
public struct Command: Sendable {
    public let name: String
    public let summary: String
    /// Paragraphs shown in `--help` after the usage line.
    public let discussion: String
    public let options: [OptionSpec]
    public let positionals: [PositionalSpec]
    public let run: @Sendable (OptionValues) throws -> Void

    public init(
        name: String, summary: String, discussion: String = "", options: [OptionSpec],
        positionals: [PositionalSpec] = [], run: @escaping @Sendable (OptionValues) throws -> Void
    ) {
        self.name = name
        self.summary = summary
        self.discussion = discussion
        self.options = options
        self.positionals = positionals
        self.run = run
    }

    var parser: ArgumentParser { ArgumentParser(specs: options, positionals: positionals) }
}
