import Foundation
import Testing

@testable import FusionNASCommand

/// A run directory appears only once a command's inputs are checked, disappears when its run fails
/// before leaving anything of value, and is locked against a second process while in use.
@Suite struct RunDirectoryLifecycleTests {
    @Test func refusedCommandsLeaveNoRunDirectory() throws {
        let directory = try FusionNASBinary.temporaryDirectory("refused-out")
        let cases: [([String], Int32, String)] = [
            (["run", "--out", "r", "--dropout", "1.0"] + FusionNASBinary.tinyRun, 2, "--dropout expects a value in [0, 1)"),
            (["run", "--out", "r", "--dataset", "missing.json"] + RefusedInputTests.tinyOptions, 1, "missing.json"),
            (["evaluate", "--out", "r", "--genotype", "missing-genotype.json"] + NonFiniteValueTests.common, 1, "missing-genotype.json"),
        ]
        for (arguments, expected, message) in cases {
            let (status, output) = try FusionNASBinary.run(arguments, in: directory)
            #expect(status == expected, "\(arguments): \(output)")
            #expect(output.contains(message), "\(output)")
            #expect(!output.contains("already exists"), "\(output)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("r").path), "\(arguments) left r behind")
        }
    }

    @Test func aMissingWeightsFileLeavesNoRunDirectory() throws {
        let directory = try FusionNASBinary.temporaryDirectory("missing-weights")
        let search = try FusionNASBinary.run(["search", "--out", "s", "--epochs", "1"] + NonFiniteValueTests.common, in: directory)
        try #require(search.status == 0, "\(search.output)")
        let genotype = directory.appendingPathComponent("s/genotype.json").path
        let (status, output) = try FusionNASBinary.run(
            ["finetune", "--out", "f", "--genotype", genotype, "--weights", "missing.safetensors"] + NonFiniteValueTests.common,
            in: directory)
        #expect(status != 0, "\(output)")
        #expect(output.contains("missing.safetensors"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("f").path), "\(output)")
        // Without --weights the genotype trains from scratch, which is the baseline fine-tuning is judged against.
        let scratch = try FusionNASBinary.run(
            ["finetune", "--out", "scratch", "--genotype", genotype, "--epochs", "1"] + NonFiniteValueTests.common, in: directory)
        #expect(scratch.status == 0, "\(scratch.output)")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("scratch/weights.safetensors").path))
    }

    @Test func aSecondProcessOnALockedRunDirectoryFailsAtOnceNamingTheHolder() throws {
        let directory = try FusionNASBinary.temporaryDirectory("lock")
        let out = directory.appendingPathComponent("r")
        let first = try FusionNASBinary.start(
            ["search", "--out", out.path, "--epochs", "200"] + NonFiniteValueTests.common, in: directory, log: "first.txt")
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        // Wait for the first run to start training (its directory and lock exist).
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: out.appendingPathComponent("config.json").path) && Date() < deadline && first.isRunning {
            usleep(50_000)
        }
        try #require(first.isRunning, "the first run ended early")
        let started = Date()
        for arguments in [["search", "--resume", out.path], ["search", "--out", out.path, "--epochs", "1"] + NonFiniteValueTests.common] {
            let (status, output) = try FusionNASBinary.run(arguments, in: directory)
            #expect(status == 1, "\(output)")
            #expect(output.contains("\(out.path) is in use by process \(first.processIdentifier) (it holds \(out.path)/.lock); wait for it to finish, or choose another --out"), "\(output)")
        }
        #expect(Date().timeIntervalSince(started) < 60, "refused at once")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
    }

    @Test func tooFewLabelsAreRefusedBeforeTheFirstStageNamingTheSmallestFraction() throws {
        let directory = try FusionNASBinary.temporaryDirectory("few-labels")
        let manifest = try Self.writeEightSampleManifest(in: directory)
        let (status, output) = try FusionNASBinary.run(
            ["run", "--out", "r", "--dataset", manifest, "--labels", "0.0001"] + RefusedInputTests.tinyOptions, in: directory)
        #expect(status == 1, "\(output)")
        #expect(output.contains("--labels 0.0001 labels 2 of the 4 training samples, but the supervised search (two halves of at least 2) needs at least 4; use --labels 0.75 or more"), "\(output)")
        #expect(!output.contains("ssl/"), "nothing was trained: \(output)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("r").path))
    }

    /// `study` and `correlate` read and check their data before the run directory exists: the
    /// progress line that announces the directory never appears, and nothing is left behind.
    @Test func studyAndCorrelateCheckTheirDataBeforeCreatingTheRunDirectory() throws {
        let directory = try FusionNASBinary.temporaryDirectory("study-data-first")
        let manifest = try Self.writeEightSampleManifest(in: directory)
        let cases: [([String], String)] = [
            (["study", "--dataset", "missing.json"], "missing.json"),
            (["correlate", "--dataset", "missing.json"], "missing.json"),
            // The supervised search needs 4 labelled training samples; 0.0001 of 4 labels one per class.
            (
                ["study", "--dataset", manifest, "--fractions", "0.0001", "--seeds", "0", "--architectures", "supervised-search"],
                "--fractions 0.0001 labels 2 of the 4 training samples"
            ),
        ]
        for (arguments, message) in cases {
            let (status, output) = try FusionNASBinary.run(arguments + ["--out", "r", "--threads", "1"], in: directory)
            #expect(status == 1, "\(arguments): \(output)")
            #expect(output.contains(message), "\(arguments): \(output)")
            #expect(!output.contains("run directory"), "\(arguments) created its run directory first: \(output)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("r").path), "\(arguments) left r behind")
        }
    }

    /// Eight samples of classes a, b (two CSV views): 4 for training, 2 for validation, 2 for test.
    static func writeEightSampleManifest(in directory: URL) throws -> String {
        func write(_ name: String, _ text: String) throws {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write("f.csv", "1,2\n3,4\n5,6\n7,8\n9,0\n2,4\n1,1\n2,2\n")
        try write("g.csv", "1\n2\n3\n4\n5\n6\n7\n8\n")
        try write("labels.txt", "a\nb\na\nb\na\nb\na\nb\n")
        try write("train.txt", "0 1 2 3")
        try write("validation.txt", "4 5")
        try write("test.txt", "6 7")
        try write("m.json", """
            {"modalities": [{"name": "f", "file": "f.csv", "kind": "vector"}, {"name": "g", "file": "g.csv", "kind": "vector"}],
             "labels": {"file": "labels.txt", "kind": "multi-class", "format": "names"},
             "split": {"train": "train.txt", "validation": "validation.txt", "test": "test.txt"}}
            """)
        return directory.appendingPathComponent("m.json").path
    }
}
