import Foundation
import Testing

@testable import FusionNASCommand

private struct DummyFailure: Error, CustomStringConvertible {
    var description: String { "dataset file is corrupt" }
}

@Suite struct CommandLineToolTests {
    private func makeTool(output: CapturedOutput, errors: CapturedOutput) -> CommandLineTool {
        let greet = Command(
            name: "greet", summary: "Say hello.",
            options: [
                OptionSpec(name: "times", kind: .int(minimum: 1), default: .int(1), help: "How often to greet.")
            ] + CommonOptions.general
        ) { values in
            output.append(String(repeating: "hello ", count: values.int("times")))
        }
        let fail = Command(
            name: "fail", summary: "Always fails.",
            options: [OptionSpec(name: "code", kind: .int(minimum: 0), help: "Exit status to end with.")]
        ) { values in
            if let code = values.optionalInt("code") { throw ExitCode(Int32(code)) }
            throw DummyFailure()
        }
        return CommandLineTool(
            name: "fusion-nas", summary: "test tool", commands: [greet, fail],
            standardOutput: output.append, standardError: errors.append)
    }

    @Test func successRunsTheCommandAndExitsZero() {
        let (output, errors) = (CapturedOutput(), CapturedOutput())
        #expect(makeTool(output: output, errors: errors).run(arguments: ["greet", "--times", "2"]) == 0)
        #expect(output.contents == "hello hello ")
        #expect(errors.contents.isEmpty)
    }

    @Test func usageErrorsExitTwoAndPointToHelp() {
        let (output, errors) = (CapturedOutput(), CapturedOutput())
        let tool = makeTool(output: output, errors: errors)
        #expect(tool.run(arguments: ["greet", "--time", "2"]) == 2)
        #expect(
            errors.contents
                == "error: unknown option '--time'; did you mean '--times'?\nRun 'fusion-nas greet --help' for usage.\n")
        #expect(output.contents.isEmpty)
        #expect(tool.run(arguments: ["gret"]) == 2)
        #expect(errors.contents.contains("error: unknown command 'gret'; did you mean 'greet'?"))
        #expect(tool.run(arguments: []) == 2)
        #expect(errors.contents.contains("COMMANDS:"))
    }

    @Test func otherErrorsExitOneAndExitCodesPassThrough() {
        let (output, errors) = (CapturedOutput(), CapturedOutput())
        let tool = makeTool(output: output, errors: errors)
        #expect(tool.run(arguments: ["fail"]) == 1)
        #expect(errors.contents == "error: dataset file is corrupt\n")
        #expect(tool.run(arguments: ["fail", "--code", "3"]) == 3)
    }

    @Test func helpIsPrintedForTheToolAndEachCommand() {
        let (output, errors) = (CapturedOutput(), CapturedOutput())
        let tool = makeTool(output: output, errors: errors)
        #expect(tool.run(arguments: ["--help"]) == 0)
        #expect(output.contents.contains("greet  Say hello."))
        #expect(output.contents.contains("fail   Always fails."))

        let viaHelp = CapturedOutput()
        #expect(makeTool(output: viaHelp, errors: errors).run(arguments: ["help", "greet"]) == 0)
        let viaFlag = CapturedOutput()
        #expect(makeTool(output: viaFlag, errors: errors).run(arguments: ["greet", "--help"]) == 0)
        #expect(viaHelp.contents == viaFlag.contents)
        #expect(viaFlag.contents.contains("USAGE: fusion-nas greet [options]"))
        #expect(viaFlag.contents.contains("--times N"))
        #expect(viaFlag.contents.contains("How often to greet. [a whole number ≥ 1; default: 1]"))
        #expect(tool.run(arguments: ["help", "nothing"]) == 2)
        #expect(errors.contents.contains("unknown command 'nothing'"))
    }

    @Test func commandHelpListsEveryCommonOptionWithTypeAndDefault() {
        let command = Command(name: "search", summary: "Search.", options: sampleOptions) { _ in }
        let help = HelpFormatter.commandHelp(command, toolName: "fusion-nas")
        for spec in sampleOptions { #expect(help.contains(spec.usage), "missing \(spec.usage)") }
        #expect(help.contains("--labels FRACTION"))
        #expect(help.contains("[a fraction in (0, 1]; default: 0.1]"))
        #expect(help.contains("[a whole number ≥ 1; default: 10]"))
        #expect(help.contains("default: all cores"))
        #expect(help.contains("repeatable"))
        #expect(help.contains("-h, --help"))
    }
}
