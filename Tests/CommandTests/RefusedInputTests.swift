import Foundation
import Testing

@testable import FusionNASCommand

/// Inputs the tool once trapped on, silently misread or half-ran with: each is now refused up
/// front with exit status 2 (usage) or 1 (bad data) and a message that names what to change.
@Suite struct RefusedInputTests {
    @Test(arguments: ["-1", "nan", "inf", "1e30", "1.5", "0,1,0", "0,+0"])
    func sweepRefusesSeedsThatAreNotDistinctWholeNumbers(_ seeds: String) {
        let message = usageMessage(["--seeds", seeds], specs: SweepCommand.command.options)
        #expect(message == "--seeds expects a comma-separated list of distinct whole numbers ≥ 0, e.g. --seeds 0,1,2; got '\(seeds)'")
    }

    @Test(arguments: ["0", "1.5", "nan", "0.1,0.10", "1,1"])
    func sweepRefusesFractionsOutsideTheRangeOrRepeated(_ fractions: String) {
        let message = usageMessage(["--fractions", fractions], specs: SweepCommand.command.options)
        #expect(message == "--fractions expects a comma-separated list of distinct fractions in (0, 1], e.g. --fractions 0.01,0.1,1; got '\(fractions)'")
    }

    @Test func sweepAcceptsDistinctSeedsAndFractions() throws {
        let values = try parseValues(["--seeds", "0,1,12", "--fractions", "0.05,1"], specs: SweepCommand.command.options)
        #expect(values.list("seeds") == ["0", "1", "12"] && values.list("fractions") == ["0.05", "1"])
    }

    @Test func sweepWithANegativeSeedExitsWithAUsageError() throws {
        let directory = try FusionNASBinary.temporaryDirectory("sweep-seeds")
        let (status, output) = try FusionNASBinary.run(["sweep", "--out", "s", "--seeds", "-1"] + FusionNASBinary.tinyRun, in: directory)
        #expect(status == 2, "\(output)")
        #expect(output.contains("--seeds expects a comma-separated list of distinct whole numbers ≥ 0"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("s").path), "refused before any work")
    }

    @Test func primitivesMadeOnlyOfZeroAreAUsageError() throws {
        #expect(usageMessage(["--primitives", "zero"], specs: RunCommand.command.options)
            == "--primitives expects a comma-separated list of names, at least one of them not zero, e.g. --primitives sum,concat_fc,low_rank_tensor; got 'zero'")
        #expect(try parseValues(["--primitives", "zero,sum"], specs: RunCommand.command.options).list("primitives") == ["zero", "sum"])
        let directory = try FusionNASBinary.temporaryDirectory("zero-primitives")
        let (status, output) = try FusionNASBinary.run(["run", "--out", "r", "--primitives", "zero"] + FusionNASBinary.tinyRun, in: directory)
        #expect(status == 2, "\(output)")
        #expect(output.contains("--primitives expects a comma-separated list of names, at least one of them not zero"), "\(output)")
    }

    /// A six-sample manifest (two CSV views, class names a/b) with the given split files' text.
    static func writeManifest(in directory: URL, train: String = "0 1 2 3", validation: String = "4 5", test: String) throws -> String {
        func write(_ name: String, _ text: String) throws {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write("f.csv", "1,2\n3,4\n5,6\n7,8\n9,0\n2,4\n")
        try write("g.csv", "1\n2\n3\n4\n5\n6\n")
        try write("labels.txt", "a\nb\na\nb\na\nb\n")
        try write("train.txt", train)
        try write("validation.txt", validation)
        try write("test.txt", test)
        try write("m.json", """
            {"modalities": [{"name": "f", "file": "f.csv", "kind": "vector"}, {"name": "g", "file": "g.csv", "kind": "vector"}],
             "labels": {"file": "labels.txt", "kind": "multi-class", "format": "names"},
             "split": {"train": "train.txt", "validation": "validation.txt", "test": "test.txt"}}
            """)
        return directory.appendingPathComponent("m.json").path
    }

    /// `FusionNASBinary.tinyRun` without its uci-mfeat modalities.
    static let tinyOptions = Array(FusionNASBinary.tinyRun.dropFirst(2))

    @Test func anEmptyTestSplitIsRefusedBeforeTraining() throws {
        let directory = try FusionNASBinary.temporaryDirectory("empty-test")
        let manifest = try Self.writeManifest(in: directory, test: "")
        let (status, output) = try FusionNASBinary.run(["run", "--out", "r", "--dataset", manifest] + Self.tinyOptions, in: directory)
        #expect(status == 1, "\(output)")
        #expect(output.contains("\(manifest): split 'test' has no sample; list at least one sample index in the manifest's split.test file"), "\(output)")
        #expect(!output.contains("encoder"), "nothing was trained: \(output)")
    }

    @Test func resumeWithAnotherOutIsAUsageErrorNamingBoth() throws {
        let directory = try FusionNASBinary.temporaryDirectory("resume-out")
        let first = directory.appendingPathComponent("a"), other = directory.appendingPathComponent("b")
        try FileManager.default.createDirectory(at: first, withIntermediateDirectories: true)
        // A small saved configuration, so that before the fix the run finished quickly (in the wrong place).
        try """
            {"modalities": "fou,kar", "search-epochs": 1, "pretrain-epochs": 1, "finetune-epochs": 1, "encoder-epochs": 1,
             "channels": 8, "length": 4, "batch-size": 32, "threads": 1}
            """.write(to: first.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        let (status, output) = try FusionNASBinary.run(["run", "--resume", first.path, "--out", other.path], in: directory)
        #expect(status == 2, "\(output)")
        #expect(output.contains("--resume \(first.path) continues that run in its own directory, so --out \(other.path) cannot be used with it; drop --out to resume, or drop --resume to start a new run in \(other.path)"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: other.path))
    }
}

/// A real built-in dataset has a fixed size: a `:N` suffix is refused instead of ignored.
@Suite struct FixedSizeDatasetTests {
    @Test(arguments: ["uci-mfeat:5", "satellite:100", "smartwatch-imu:20"])
    func aSampleCountSuffixOnARealDatasetIsRefused(_ dataset: String) throws {
        let directory = try FusionNASBinary.temporaryDirectory("fixed-size")
        let (status, output) = try FusionNASBinary.run(["search", "--dataset", dataset, "--epochs", "1", "--out", "s"], in: directory)
        #expect(status == 1, "\(output)")
        #expect(output.contains("is a real dataset of fixed size and takes no ':N'"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("s").path))
    }
}

/// Input files given on the command line that are not readable files: the message names the file
/// and the problem, never Foundation's "NSCocoaErrorDomain error 256" or "You don't have permission".
@Suite struct UnreadableInputFileTests {
    @Test func directoriesLinkLoopsAndPipesAreNamed() throws {
        let directory = try FusionNASBinary.temporaryDirectory("unreadable")
        let folder = directory.appendingPathComponent("folder.json").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let loop = directory.appendingPathComponent("loop.json").path
        let other = directory.appendingPathComponent("other.json").path
        #expect(symlink(other, loop) == 0 && symlink(loop, other) == 0)
        let pipe = directory.appendingPathComponent("pipe.json").path
        #expect(mkfifo(pipe, 0o600) == 0)
        let isDirectory = "is a directory, not a file; name the file inside it"
        let loops = "is a symbolic link that loops (too many levels of symbolic links)"
        let isPipe = "is a named pipe (FIFO), not a regular file"
        let cases: [([String], Int32, String)] = [
            (["run", "--config", folder], 2, "cannot read configuration file '\(folder)': \(isDirectory)"),
            (["run", "--config", loop], 2, "cannot read configuration file '\(loop)': \(loops)"),
            (["run", "--config", pipe], 2, "cannot read configuration file '\(pipe)': \(isPipe)"),
            (["run", "--dataset", folder, "--out", "r"], 1, "\(folder): \(isDirectory)"),
            (["run", "--dataset", loop, "--out", "r"], 1, "\(loop): \(loops)"),
            (["genotype", "show", folder], 1, "cannot read genotype file \(folder): \(isDirectory)"),
            (["evaluate", "--genotype", loop, "--out", "r"], 1, "cannot read genotype file \(loop): \(loops)"),
            (["evaluate", "--genotype", pipe, "--out", "r"], 1, "cannot read genotype file \(pipe): \(isPipe)"),
        ]
        for (arguments, expected, message) in cases {
            let (status, output) = try FusionNASBinary.run(arguments, in: directory)
            #expect(status == expected, "\(arguments): \(output)")
            #expect(output.contains(message), "\(arguments): \(output)")
            #expect(!output.contains("NSCocoaErrorDomain") && !output.contains("could not be completed"), "\(output)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("r").path), "\(arguments) left r behind")
        }
    }

    @Test func anOutPathThroughAFileNamesTheFile() throws {
        let directory = try FusionNASBinary.temporaryDirectory("out-through-file")
        let file = directory.appendingPathComponent("notes.txt").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let (status, output) = try FusionNASBinary.run(["search", "--epochs", "1", "--out", file + "/run"] + NonFiniteValueTests.common, in: directory)
        #expect(status == 1, "\(output)")
        #expect(output.contains("cannot create run directory \(file)/run: '\(file)' is a file, not a directory"), "\(output)")
        #expect(!output.contains("NSCocoaErrorDomain"), "\(output)")
    }
}
