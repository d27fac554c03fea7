import Foundation
import Testing

/// A run's `config.json` given back with `--config` repeats the run, from any working directory:
/// into a new run directory (the saved configuration names none, so it does not collide with the
/// first run's), and with the plugins it loaded.
@Suite struct SavedConfigurationTests {
    @Test func aRunsConfigRepeatsItIntoANewDirectoryFromElsewhere() throws {
        let directory = try FusionNASBinary.temporaryDirectory("repeat-config")
        let start = directory.appendingPathComponent("start"), elsewhere = directory.appendingPathComponent("elsewhere")
        for folder in [start, elsewhere] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        _ = try RunDirectoryLifecycleTests.writeEightSampleManifest(in: start)
        let first = try FusionNASBinary.run(["search", "--out", "r1", "--dataset", "m.json"] + ResumeAnywhereTests.options, in: start)
        try #require(first.status == 0, "\(first.output)")
        let config = start.appendingPathComponent("r1/config.json")
        #expect(!(try String(contentsOf: config, encoding: .utf8)).contains("\"out\""))

        let again = try FusionNASBinary.run(["search", "--config", config.path], in: elsewhere)
        #expect(again.status == 0, "\(again.output)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: elsewhere.appendingPathComponent("runs").path)
        try #require(runs.count == 1, "\(runs)")
        let genotype = { (run: URL) in try Data(contentsOf: run.appendingPathComponent("genotype.json")) }
        #expect(try genotype(elsewhere.appendingPathComponent("runs/\(runs[0])")) == genotype(start.appendingPathComponent("r1")))
    }

    @Test func aConfigFilesPluginPathsResolveAgainstItsDirectory() throws {
        let directory = try FusionNASBinary.temporaryDirectory("config-plugin")
        _ = try EndToEndTests.buildGatedProduct(in: directory)
        let config = directory.appendingPathComponent("config.json")
        // `plugin` (what a run saves for --plugin) as well as `plugins`.
        try Data(#"{"plugin": ["libgated_product.so"]}"#.utf8).write(to: config)
        let (status, output) = try FusionNASBinary.run(["plugins", "list", "--config", config.path], in: URL(fileURLWithPath: "/"))
        #expect(status == 0, "\(output)")
        #expect(output.contains("| gated_product "), "\(output)")
    }
}
