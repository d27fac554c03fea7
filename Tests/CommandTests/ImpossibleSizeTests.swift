import Foundation
import Testing

@testable import FusionNASCommand

/// Sizes that overflowed Int arithmetic (a trap) or could never fit in memory (an out-of-memory
/// kill) are refused up front with the memory they would need and the memory there is.
@Suite struct ImpossibleSizeTests {
    static let memory = String(format: "%.1f GiB", Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824)

    @Test(arguments: [
        (["--channels", "4611686018427387904"],
         "--channels 4611686018427387904 with --length 8 and --batch-size 64 (a 4611686018427387904 x 4611686018427387904 weight matrix and 64 x 4611686018427387904 x 8 feature maps) needs more memory than a 64-bit byte count can hold"),
        (["--length", "100000000"],
         "--channels 32 with --length 100000000 and --batch-size 64 (a 32 x 32 weight matrix and 64 x 32 x 100000000 feature maps) needs at least 762.9 GiB of memory"),
        (["--dataset", "synthetic-planted:9223372036854775807"],
         "dataset 'synthetic-planted:9223372036854775807' (9223372036854775807 samples) needs more memory than a 64-bit byte count can hold"),
        (["--dataset", "synthetic-mmimdb:9223372036854775807"],
         "dataset 'synthetic-mmimdb:9223372036854775807' (9223372036854775807 samples of 35,863 floats) needs more memory than a 64-bit byte count can hold"),
        (["--dataset", "synthetic-mmimdb:100000000"],
         "dataset 'synthetic-mmimdb:100000000' (100000000 samples of 35,863 floats) needs at least 13360.0 GiB of memory"),
    ])
    func impossibleSizesAreRefusedWithTheMemoryNeeded(_ options: [String], _ message: String) throws {
        let directory = try FusionNASBinary.temporaryDirectory("sizes")
        let (status, output) = try FusionNASBinary.run(["search", "--out", "s", "--epochs", "1", "--threads", "1"] + options, in: directory)
        #expect(status == 1, "\(output)")
        #expect(output.contains(message + ", but this machine has \(Self.memory); "), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("s").path))
    }

    @Test func aManifestShapeWhoseElementCountOverflowsIsRefused() throws {
        let directory = try FusionNASBinary.temporaryDirectory("shape")
        let manifest = try RefusedInputTests.writeManifest(in: directory, test: "")
        var text = try String(contentsOfFile: manifest, encoding: .utf8)
        text = text.replacingOccurrences(of: #""kind": "vector"}, {"name": "g""#, with: #""kind": "vector", "shape": [4294967296, 4294967296]}, {"name": "g""#)
        try text.write(toFile: manifest, atomically: true, encoding: .utf8)
        let (status, output) = try FusionNASBinary.run(["search", "--out", "s", "--dataset", manifest, "--epochs", "1"], in: directory)
        #expect(status == 1, "\(output)")
        #expect(output.contains("cannot be reshaped to 6 samples of shape [4294967296, 4294967296]"), "\(output)")
    }

    @Test func temperatureBelowTheObjectivesBoundIsAUsageError() {
        #expect(usageMessage(["--temperature", "1e-30"], specs: RunCommand.command.options)
            == "--temperature expects a number > 0.001, e.g. --temperature 0.2; got '1e-30'")
        #expect(usageMessage(["--temperature", "0.002"], specs: RunCommand.command.options) == nil)
    }
}
