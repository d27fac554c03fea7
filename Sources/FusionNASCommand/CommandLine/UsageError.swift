/// A mistake in how the tool was called; the message says what to type instead. Exit code 2.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public let message: String
    /// The subcommand whose help would fix the mistake, if one was chosen.
    public var command: String?

    public init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }

    public var description: String { message }
}

/// Ends a command with a specific exit status and no further message (it printed its own).
public struct ExitCode: Error, Equatable {
    public let status: Int32
    public init(_ status: Int32) { self.status = status }
}
