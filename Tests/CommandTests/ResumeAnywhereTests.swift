import Foundation
import Testing

@testable import FusionNASCommand

/// Resuming checks that the data is unchanged, works from any working directory and after the run
/// directory moved, removes a killed writer's temporary files and saves a new --threads.
@Suite struct ResumeAnywhereTests {
    static let options = ["--epochs", "1", "--channels", "8", "--length", "4", "--threads", "1"]

    @Test func resumeRefusesChangedDataNamingTheFile() throws {
        let directory = try FusionNASBinary.temporaryDirectory("changed-data")
        let manifest = try RunDirectoryLifecycleTests.writeEightSampleManifest(in: directory)
        let first = try FusionNASBinary.run(["search", "--out", "s", "--dataset", manifest] + Self.options, in: directory)
        try #require(first.status == 0, "\(first.output)")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("s/data-files.json").path))
        let unchanged = try FusionNASBinary.run(["search", "--resume", "s"], in: directory)
        #expect(unchanged.status == 0, "\(unchanged.output)")
        // Same path, same shape, other values.
        try "8\n7\n6\n5\n4\n3\n2\n1\n".write(to: directory.appendingPathComponent("g.csv"), atomically: true, encoding: .utf8)
        let (status, output) = try FusionNASBinary.run(["search", "--resume", "s"], in: directory)
        #expect(status == 1, "\(output)")
        let file = directory.appendingPathComponent("g.csv").standardizedFileURL.path
        let run = directory.appendingPathComponent("s").path
        #expect(output.contains("--resume \(run): data file \(file) changed since the run started (then 16 bytes, fnv1a64 00ab5eabd9ecc895, now 16 bytes, fnv1a64 5ebaa17ac7ef92f5)"), "\(output)")
        #expect(output.contains("restore that file, or start a new run with --out"), "\(output)")
    }

    @Test func aMovedRunResumesFromAnotherDirectoryWithNewThreadsAndNoStaleTemporaryFiles() throws {
        let directory = try FusionNASBinary.temporaryDirectory("moved-run")
        let start = directory.appendingPathComponent("start"), elsewhere = directory.appendingPathComponent("elsewhere")
        for folder in [start, elsewhere] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        _ = try RunDirectoryLifecycleTests.writeEightSampleManifest(in: start)
        // Relative --out and --dataset, from the first working directory.
        let first = try FusionNASBinary.run(["search", "--out", "s", "--dataset", "m.json"] + Self.options, in: start)
        try #require(first.status == 0, "\(first.output)")
        let moved = directory.appendingPathComponent("moved")
        try FileManager.default.moveItem(at: start.appendingPathComponent("s"), to: moved)
        let stale = moved.appendingPathComponent("checkpoints/.ssl-search.safetensors.999.123.tmp")
        try Data([1, 2, 3]).write(to: stale)
        let (status, output) = try FusionNASBinary.run(["search", "--resume", moved.path, "--threads", "2"], in: elsewhere)
        #expect(status == 0, "\(output)")
        #expect(output.contains("Run directory: \(moved.path)"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: stale.path), "stale temporary file removed")
        let config = try String(contentsOf: moved.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(config.contains("\"threads\" : 2") || config.contains("\"threads\": 2"), "\(config)")
    }
}
