import Foundation
import Testing

/// A resumed run rewrites its `config.json` with the new `--threads` and nothing else: Doubles
/// such as `"beta-decay": 0.0` stay Doubles (they once came back as the integer `0`).
@Suite struct ResumedConfigurationTests {
    /// Each command that saves a configuration, with options that finish in seconds; all save
    /// `"beta-decay": 0.0`, and `--threads 1`.
    static let commands: [(name: String, arguments: [String])] = [
        ("search", ResumeAnywhereTests.options),
        ("run", FusionNASBinary.tinyRun),
        ("sweep", ["--methods", "supervised", "--fractions", "1", "--seeds", "3"] + FusionNASBinary.tinyRun),
        ("study", ["--architectures", "linear", "--weights", "scratch", "--fractions", "1", "--seeds", "0"] + StudyCommandTests.tiny),
    ]

    @Test(arguments: commands.map(\.name))
    func resumingWithOtherThreadsChangesOnlyThreadsInConfig(_ command: String) throws {
        let directory = try FusionNASBinary.temporaryDirectory("resumed-config-\(command)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var arguments = try #require(Self.commands.first { $0.name == command }).arguments
        if command == "search" {
            _ = try RunDirectoryLifecycleTests.writeEightSampleManifest(in: directory)
            arguments += ["--dataset", "m.json"]
        }
        let first = try FusionNASBinary.run([command, "--out", "r", "--beta-decay", "0"] + arguments, in: directory)
        try #require(first.status == 0, "\(first.output)")
        let config = directory.appendingPathComponent("r/config.json")
        let fresh = try String(contentsOf: config, encoding: .utf8)
        try #require(fresh.contains(#""beta-decay": 0.0,"#), "\(fresh)")
        let threadsLine = try #require(fresh.split(separator: "\n").first { $0.hasPrefix(#"  "threads": "#) }, "\(fresh)")
        try #require(threadsLine.hasPrefix(#"  "threads": 1"#), "\(fresh)")

        let resumed = try FusionNASBinary.run([command, "--resume", "r", "--threads", "2"], in: directory)
        try #require(resumed.status == 0, "\(resumed.output)")
        let rewritten = try String(contentsOf: config, encoding: .utf8)
        let expected = fresh.replacingOccurrences(
            of: String(threadsLine) + "\n", with: threadsLine.replacingOccurrences(of: ": 1", with: ": 2") + "\n")
        #expect(expected != fresh)
        #expect(rewritten == expected)

        // Resumed again with the same threads, the file is left byte for byte.
        let again = try FusionNASBinary.run([command, "--resume", "r", "--threads", "2"], in: directory)
        try #require(again.status == 0, "\(again.output)")
        #expect(try String(contentsOf: config, encoding: .utf8) == rewritten)
    }
}
