import Foundation
import Testing

@testable import Layers

@Suite struct SerializationAtomicFileTests {
    @Test func replacesTheTargetAndLeavesNoTemporaryFiles() throws {
        let directory = try makeSerializationTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("config.json")
        try AtomicFile.write(Data("old".utf8), to: target)
        try AtomicFile.write(Data("new contents".utf8), to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "new contents")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["config.json"])
    }

    @Test func failureNamesThePathAndLeavesTheDirectoryUntouched() throws {
        let directory = try makeSerializationTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("missing-subdirectory/model.safetensors")
        let error = #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write(Data([1]), to: target) }
        #expect(error?.description.contains("missing-subdirectory") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
