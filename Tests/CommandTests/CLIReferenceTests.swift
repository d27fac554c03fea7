import Foundation
import Testing

@testable import FusionNASCommand

/// Docs/cli.md shows every command's help exactly as the tool prints it
/// (regenerate with `Scripts/update-cli-reference`).
@Suite struct CLIReferenceTests {
    static let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Docs/cli.md")

    @Test func everyCommandsHelpIsOnThePage() throws {
        let text = try String(contentsOf: Self.page, encoding: .utf8)
        let tool = FusionNASCommand.tool
        for command in tool.commands {
            let help = HelpFormatter.commandHelp(command, toolName: tool.name).trimmingCharacters(in: .newlines)
            #expect(
                text.contains("## `\(command.name)`\n\n```text\n\(help)\n```\n"),
                "Docs/cli.md's section for \(command.name) differs from its --help; run Scripts/update-cli-reference")
        }
        let overview = HelpFormatter.toolHelp(toolName: tool.name, summary: tool.summary, commands: tool.commands)
        #expect(text.contains("```text\n\(overview.trimmingCharacters(in: .newlines))\n```"), "the commands at a glance differ")
    }
}
