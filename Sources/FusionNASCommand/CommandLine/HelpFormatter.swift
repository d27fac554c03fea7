/// Writes `--help` pages: usage line, description, then every option with its type and default.
enum HelpFormatter {
    static func commandHelp(_ command: Command, toolName: String) -> String {
        var usage = "USAGE: \(toolName) \(command.name) [options]"
        for positional in command.positionals {
            usage += positional.isOptional ? " [\(positional.name)]" : " \(positional.name)"
        }
        var lines = ["\(toolName) \(command.name): \(command.summary)", "", usage]
        if !command.discussion.isEmpty { lines += ["", command.discussion] }
        if !command.positionals.isEmpty {
            lines += ["", "ARGUMENTS:"]
            lines += table(command.positionals.map { ($0.name, $0.help) })
        }
        lines += ["", "OPTIONS:"]
        var rows = command.options.filter { !$0.isHidden }.map { spec in (spec.usage, describe(spec)) }
        rows.append(("-h, --help", "Show this help."))
        lines += table(rows)
        return lines.joined(separator: "\n") + "\n"
    }

    static func toolHelp(toolName: String, summary: String, commands: [Command]) -> String {
        var lines = ["\(toolName): \(summary)", "", "USAGE: \(toolName) <command> [options]", "", "COMMANDS:"]
        lines += table(commands.map { ($0.name, $0.summary) })
        lines += ["", "Run '\(toolName) help <command>' or '\(toolName) <command> --help' for its options."]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `Number of training epochs. [a whole number ≥ 1; default: 10]`.
    static func describe(_ spec: OptionSpec) -> String {
        var facts: [String] = []
        if spec.kind.takesValue { facts.append(spec.kind.expectation) }
        if spec.isRepeatable { facts.append("repeatable") }
        if let shown = spec.defaultDescription {
            facts.append("default: \(shown)")
        } else if spec.kind.takesValue, let value = spec.defaultValue, value != .list([]) {
            facts.append("default: \(value.commandLineText)")
        }
        return facts.isEmpty ? spec.help : "\(spec.help) [\(facts.joined(separator: "; "))]"
    }

    private static func table(_ rows: [(String, String)]) -> [String] {
        let width = min(30, rows.map(\.0.count).max() ?? 0)
        return rows.map { left, right in
            let padding = left.count < width ? String(repeating: " ", count: width - left.count) : ""
            let separator = left.count > width ? "\n  " + String(repeating: " ", count: width + 2) : "  "
            return "  \(left)\(padding)\(separator)\(right)"
        }
    }
}
