#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Dispatches `tool <command> [options]` to one of several ``Command``s and turns the result into
/// an exit status: 0 on success, 2 for a ``UsageError``, 1 for any other error.
///
/// Help: `tool`, `tool --help` and `tool help` list the commands; `tool help <command>` and
/// `tool <command> --help` show one command's options.
public struct CommandLineTool: Sendable {
    public let name: String
    public let summary: String
    public let commands: [Command]
    let standardOutput: @Sendable (String) -> Void
    let standardError: @Sendable (String) -> Void

    /// - Parameters:
    ///   - standardOutput, standardError: where help and errors go; tests capture them.
    public init(
        name: String = "fusion-nas", summary: String = "self-supervised multimodal fusion architecture search",
        commands: [Command],
        standardOutput: @escaping @Sendable (String) -> Void = { writeAll($0, to: STDOUT_FILENO) },
        standardError: @escaping @Sendable (String) -> Void = { writeAll($0, to: STDERR_FILENO) }
    ) {
        let names = commands.map(\.name)
        precondition(Set(names).count == names.count, "CommandLineTool: duplicate command in \(names)")
        self.name = name
        self.summary = summary
        self.commands = commands
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// Runs the command named by `arguments[0]` (the program name is not included) and returns the exit status.
    public func run(arguments: [String]) -> Int32 {
        guard let first = arguments.first else {
            standardError(HelpFormatter.toolHelp(toolName: name, summary: summary, commands: commands))
            return 2
        }
        if first == "--help" || first == "-h" || (first == "help" && arguments.count == 1) {
            standardOutput(HelpFormatter.toolHelp(toolName: name, summary: summary, commands: commands))
            return 0
        }
        do {
            if first == "help" {
                let command = try find(arguments[1])
                standardOutput(HelpFormatter.commandHelp(command, toolName: name))
                return 0
            }
            let command = try find(first)
            do {
                switch try command.parser.parse(Array(arguments.dropFirst())) {
                case .help:
                    standardOutput(HelpFormatter.commandHelp(command, toolName: name))
                    return 0
                case .values(let values):
                    try command.run(values)
                    return 0
                }
            } catch var error as UsageError {
                error.command = error.command ?? command.name
                throw error
            }
        } catch let exit as ExitCode {
            return exit.status
        } catch {
            let (message, status) = Self.report(error, toolName: name)
            standardError(message)
            return status
        }
    }

    /// What the tool prints for an error a command threw, and the exit status: 2 with a pointer to
    /// the help for a usage error, 1 for any other.
    static func report(_ error: any Error, toolName: String) -> (message: String, status: Int32) {
        guard let usage = error as? UsageError else { return ("error: \(error)\n", 1) }
        let helpCommand = usage.command.map { "\(toolName) \($0) --help" } ?? "\(toolName) --help"
        return ("error: \(usage.message)\nRun '\(helpCommand)' for usage.\n", 2)
    }

    /// Runs with the process's own arguments and exits with the resulting status; for `main.swift`.
    public func main() -> Never {
        exit(run(arguments: Array(CommandLine.arguments.dropFirst())))
    }

    private func find(_ commandName: String) throws -> Command {
        if let command = commands.first(where: { $0.name == commandName }) { return command }
        let hint = closestMatch(to: commandName, among: commands.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
        if commandName.hasPrefix("-") {
            throw UsageError("expected a command before options, got '\(commandName)'; commands: "
                + commands.map(\.name).joined(separator: ", "))
        }
        throw UsageError("unknown command '\(commandName)'\(hint)")
    }
}

/// Writes all of `text` to a file descriptor, unbuffered so it interleaves correctly with progress output.
public func writeAll(_ text: String, to fd: Int32) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { return }
        offset += n
    }
}
