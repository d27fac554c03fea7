import Foundation
import Testing

@testable import FileChecks

/// Every way a path can fail to be a readable file gets its own reason, never Foundation's
/// "The operation could not be completed".
@Suite struct ReadableFileTests {
    let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fusionnas-readable-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The reason `ReadableFile.bytes` gives for `path`, or nil if it read the file.
    func reason(_ path: String) -> String? {
        do {
            _ = try ReadableFile.bytes(at: path)
            return nil
        } catch {
            #expect(error.path == path)
            #expect(error.description.hasPrefix(path + ": "))
            return error.reason
        }
    }

    @Test func regularFileIsRead() throws {
        try Data("1,2\n".utf8).write(to: URL(fileURLWithPath: path("a.csv")))
        #expect(try ReadableFile.bytes(at: path("a.csv")) == Array("1,2\n".utf8))
        try Data().write(to: URL(fileURLWithPath: path("empty.csv")))
        #expect(try ReadableFile.bytes(at: path("empty.csv")).isEmpty)
    }

    @Test func largeFileIsReadWhole() throws {
        let bytes = (0..<200_000).map { UInt8($0 % 251) }
        try Data(bytes).write(to: URL(fileURLWithPath: path("large.bin")))
        #expect(try ReadableFile.bytes(at: path("large.bin")) == bytes)
    }

    @Test func missingFile() {
        #expect(reason(path("none.csv")) == "file not found")
    }

    @Test func fileUsedAsADirectory() throws {
        try Data("x".utf8).write(to: URL(fileURLWithPath: path("plain")))
        #expect(reason(path("plain") + "/inside.csv") == "file not found: a part of the path before the file name is a file, not a directory")
    }

    @Test func directoryInsteadOfAFile() throws {
        try FileManager.default.createDirectory(atPath: path("data.csv"), withIntermediateDirectories: true)
        #expect(reason(path("data.csv")) == "is a directory, not a file; name the file inside it")
    }

    @Test func symbolicLinkLoop() throws {
        #expect(symlink(path("loop-b.json"), path("loop-a.json")) == 0)
        #expect(symlink(path("loop-a.json"), path("loop-b.json")) == 0)
        #expect(reason(path("loop-a.json")) == "is a symbolic link that loops (too many levels of symbolic links); point it at the file itself")
    }

    @Test func danglingSymbolicLink() throws {
        #expect(symlink("gone.csv", path("dangling.csv")) == 0)
        #expect(reason(path("dangling.csv")) == "is a symbolic link to 'gone.csv', which does not exist; fix or remove the link")
    }

    @Test func linkToAFileIsFollowed() throws {
        try Data("7".utf8).write(to: URL(fileURLWithPath: path("target.txt")))
        #expect(symlink("target.txt", path("link.txt")) == 0)
        #expect(try ReadableFile.bytes(at: path("link.txt")) == Array("7".utf8))
    }

    /// Reading a FIFO would block until a writer appears; the time limit turns a hang into a failure.
    @Test(.timeLimit(.minutes(1))) func namedPipeIsRefusedWithoutOpeningIt() throws {
        #expect(mkfifo(path("pipe.csv"), 0o600) == 0)
        #expect(reason(path("pipe.csv"))?.hasPrefix("is a named pipe (FIFO), not a regular file") == true)
    }

    /// Root reads any file whatever its mode, so the refusal is only seen as another user.
    @Test(.enabled(if: getuid() != 0, "root reads a file of any mode"))
    func unreadableFile() throws {
        try Data("1".utf8).write(to: URL(fileURLWithPath: path("secret.csv")))
        #expect(chmod(path("secret.csv"), 0) == 0)
        let reason = reason(path("secret.csv")) ?? ""
        #expect(reason.hasPrefix("permission denied: this user cannot read it (mode 0, owner uid"), "\(reason)")
        #expect(reason.hasSuffix("make it readable, e.g. chmod a+r"), "\(reason)")
    }

    /// The words for a file `open` refuses with EACCES, checked directly where the tests run as root.
    @Test func permissionDeniedNamesModeAndOwners() throws {
        try Data("1".utf8).write(to: URL(fileURLWithPath: path("private.csv")))
        #expect(chmod(path("private.csv"), 0o600) == 0)
        let reason = ReadableFile.openFailure(path: path("private.csv"), error: EACCES)
        #expect(reason == "permission denied: this user cannot read it (mode 600, owner uid \(getuid()); this process runs as uid \(getuid())); make it readable, e.g. chmod a+r")
        #expect(ReadableFile.openFailure(path: path("private.csv"), error: EMFILE) == "cannot be opened: Too many open files")
    }

    /// A file that opens but fails on reading (a directory cannot, but /proc/self/mem at offset 0 does).
    @Test func readErrorIsReportedWithTheSystemsWords() {
        let reason = reason("/proc/self/mem") ?? ""
        #expect(reason == "cannot be read: Input/output error", "\(reason)")
    }
}

/// Why a run directory cannot be created, instead of "NSCocoaErrorDomain error 512".
@Suite struct WritableDirectoryTests {
    @Test func aFileInThePathIsNamed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fusionnas-writable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("notes.txt").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        #expect(
            WritableDirectory.problem(creating: file + "/runs/first")
                == "'\(file)' is a file, not a directory; choose a path whose parent folders are directories")
        #expect(WritableDirectory.problem(creating: directory.appendingPathComponent("new/run").path) == nil)
    }
}
