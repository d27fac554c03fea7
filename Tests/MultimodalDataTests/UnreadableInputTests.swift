import Foundation
import Testing
@testable import MultimodalData

/// Paths that are not readable files, and a manifest seed out of range: each refusal names the file
/// (or field) and says what is wrong, never Foundation's "The operation could not be completed".
@Suite struct UnreadableInputTests {
    func refusal(_ body: () throws -> Void) -> DataError? {
        do {
            try body()
            Issue.record("expected a refusal")
            return nil
        } catch let error as DataError {
            #expect(!error.description.contains("NSCocoaErrorDomain") && !error.description.contains("could not be completed"))
            return error
        } catch {
            Issue.record("expected a DataError, got \(error)")
            return nil
        }
    }

    @Test func manifestThatIsADirectory() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("data.json"), withIntermediateDirectories: true)
        let error = refusal { _ = try DatasetLoader.load(path: directory.path("data.json")) }
        #expect(error == DataError(directory.path("data.json"), "is a directory, not a file; name the file inside it"))
    }

    @Test func manifestThatIsASymbolicLinkLoop() throws {
        let directory = try TemporaryDirectory()
        #expect(symlink(directory.path("b.json"), directory.path("a.json")) == 0)
        #expect(symlink(directory.path("a.json"), directory.path("b.json")) == 0)
        let error = refusal { _ = try DatasetLoader.load(path: directory.path("a.json")) }
        #expect(error?.source == directory.path("a.json"))
        #expect(error?.message.hasPrefix("is a symbolic link that loops") == true, "\(String(describing: error))")
    }

    @Test func labelsFileThatIsADirectory() throws {
        let directory = try TemporaryDirectory()
        let manifest = try ManifestTests.writeExample(directory)
        try FileManager.default.removeItem(atPath: directory.path("labels.npy"))
        try FileManager.default.createDirectory(atPath: directory.path("labels.npy"), withIntermediateDirectories: true)
        let error = refusal { _ = try DatasetLoader.load(path: manifest) }
        #expect(error == DataError(directory.path("labels.npy"), "is a directory, not a file; name the file inside it"))
    }

    @Test func featureFileThatIsADanglingLink() throws {
        let directory = try TemporaryDirectory()
        let manifest = try ManifestTests.writeExample(directory)
        try FileManager.default.removeItem(atPath: directory.path("audio.npy"))
        #expect(symlink("moved/audio.npy", directory.path("audio.npy")) == 0)
        let error = refusal { _ = try DatasetLoader.load(path: manifest) }
        #expect(error == DataError(directory.path("audio.npy"), "is a symbolic link to 'moved/audio.npy', which does not exist; fix or remove the link"))
    }

    /// Reading a FIFO would wait for a writer; the time limit turns a hang into a failure.
    @Test(.timeLimit(.minutes(1))) func splitFileThatIsANamedPipe() throws {
        let directory = try TemporaryDirectory()
        let manifest = try ManifestTests.writeExample(directory)
        try FileManager.default.removeItem(atPath: directory.path("train.txt"))
        #expect(mkfifo(directory.path("train.txt"), 0o600) == 0)
        let error = refusal { _ = try DatasetLoader.load(path: manifest) }
        #expect(error?.source == directory.path("train.txt"))
        #expect(error?.message.hasPrefix("is a named pipe (FIFO), not a regular file") == true, "\(String(describing: error))")
    }

    /// JSONDecoder calls a negative seed "not valid JSON"; the manifest names the field instead.
    @Test(arguments: ["-1", "1.5", "1e30", "18446744073709551616"])
    func seedOutOfRangeIsNamed(seed: String) throws {
        let directory = try TemporaryDirectory()
        let path = try ManifestTests.writeExample(directory)
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\"name\": \"toy\",", with: "\"name\": \"toy\", \"seed\": \(seed),")
        try directory.write("data.json", text)
        let error = refusal { _ = try DatasetLoader.load(path: path) }
        #expect(error?.source == path)
        #expect(error?.message.hasPrefix("field 'seed' must be a whole number from 0 to 18446744073709551615, got ") == true, "\(String(describing: error))")
    }

    @Test func largestSeedIsAccepted() throws {
        let directory = try TemporaryDirectory()
        let path = try ManifestTests.writeExample(directory)
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\"name\": \"toy\",", with: "\"name\": \"toy\", \"seed\": 18446744073709551615,")
        try directory.write("data.json", text)
        _ = try DatasetLoader.load(path: path)
    }
}
