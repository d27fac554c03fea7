/// How much the tool prints: set by `--quiet` and `--verbose`.
public enum Verbosity: Int, Sendable, Comparable {
    /// Warnings and errors only.
    case quiet
    /// Progress, epoch lines and results.
    case normal
    /// Everything, including per-step detail.
    case verbose

    public static func < (lhs: Verbosity, rhs: Verbosity) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The level chosen by the `quiet` and `verbose` flags of `options`.
    /// - Throws: ``UsageError`` when both are given.
    public init(_ options: OptionValues) throws {
        let quiet = options.flag(CommonOptions.quiet.name)
        let verbose = options.flag(CommonOptions.verbose.name)
        if quiet && verbose { throw UsageError("--quiet and --verbose cannot be used together; choose one") }
        self = quiet ? .quiet : verbose ? .verbose : .normal
    }
}
