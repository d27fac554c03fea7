import Foundation
import Testing

@testable import FusionNAS

/// Plugin paths come only from `--plugin`, the config file and FUSIONNAS_PLUGIN_PATH.
@Suite struct PluginPathsTests {
    @Test func explicitThenConfigThenEnvironmentWithoutDuplicates() throws {
        let root = PluginFixtures.workDirectory.appendingPathComponent("paths-\(UUID().uuidString)")
        let envDirectory = root.appendingPathComponent("env")
        try FileManager.default.createDirectory(at: envDirectory, withIntermediateDirectories: true)
        for name in ["libz.so", "liba.so", "README.md"] {
            try #require(FileManager.default.createFile(atPath: envDirectory.appendingPathComponent(name).path, contents: Data()))
        }
        let paths = try PluginLoader.paths(
            explicit: ["/opt/p/one.so", "/opt/p/../p/one.so"],
            config: ["two.so", "/opt/p/one.so"], configDirectory: "/etc/fusion",
            environment: [PluginLoader.pathEnvironmentVariable: envDirectory.path])
        #expect(paths == ["/opt/p/one.so", "/etc/fusion/two.so", envDirectory.appendingPathComponent("liba.so").path,
            envDirectory.appendingPathComponent("libz.so").path])
    }

    @Test func nothingIsPickedUpImplicitly() throws {
        #expect(try PluginLoader.paths(explicit: [], environment: [:]).isEmpty)
        #expect(try PluginLoader.paths(explicit: [], environment: [PluginLoader.pathEnvironmentVariable: ""]).isEmpty)
    }

    @Test func environmentDirectoryMustExist() {
        #expect(throws: ComponentError("FUSIONNAS_PLUGIN_PATH names '/no/such/dir', which is not a directory")) {
            try PluginLoader.paths(explicit: [], environment: [PluginLoader.pathEnvironmentVariable: "/no/such/dir"])
        }
    }
}
