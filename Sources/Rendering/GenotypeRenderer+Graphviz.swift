import Foundation
import FusionNAS

/// An output format Graphviz's `dot` writes (its `-T` argument).
public enum GraphvizFormat: String, Sendable, CaseIterable {
    case png
    case pdf
    case svg
}

extension GenotypeRenderer {
    /// Runs Graphviz's `dot` on `dot` text and writes the picture to `url`.
    ///
    /// - Throws: ``ComponentError`` saying what to install when `dot` is not on `PATH`, or with
    ///   Graphviz's own message when it fails (for example on a path that cannot be written).
    public func renderWithGraphviz(dot: String, format: GraphvizFormat, to url: URL) throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        try renderWithGraphviz(dot: dot, format: format, to: url, searchPath: path.split(separator: ":").map(String.init))
    }

    /// The executable named `dot` in the first directory of `searchPath` that has one.
    static func findGraphviz(in searchPath: [String]) -> URL? {
        searchPath.lazy.filter { !$0.isEmpty }
            .map { URL(fileURLWithPath: $0).appendingPathComponent("dot") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// ``renderWithGraphviz(dot:format:to:)`` with an explicit search path, so the missing-tool
    /// message can be tested on machines that have Graphviz.
    func renderWithGraphviz(dot: String, format: GraphvizFormat, to url: URL, searchPath: [String]) throws {
        guard let executable = Self.findGraphviz(in: searchPath) else {
            throw ComponentError(
                "rendering \(format.rawValue) needs Graphviz's 'dot', which is not on PATH; install it "
                    + "(apt-get install graphviz, or brew install graphviz) or choose --format svg or --format dot, "
                    + "which need no external tool")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-T\(format.rawValue)", "-o", url.path]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do { try process.run() } catch {
            throw ComponentError("cannot run \(executable.path): \(error.localizedDescription)")
        }
        // Read Graphviz's messages on another thread while feeding it: a full stderr pipe would
        // otherwise block it before it has read all of its input.
        let collected = ErrorCollector()
        let reader = Thread { collected.store(errors.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        input.fileHandleForWriting.write(Data(dot.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        let message = collected.wait()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ComponentError(
                "Graphviz 'dot' failed writing \(url.path) (status \(process.terminationStatus))"
                    + (text.isEmpty ? "" : ": \(text)"))
        }
    }
}

/// Hands the stderr bytes from the reader thread to the caller once the thread is done.
private final class ErrorCollector: @unchecked Sendable {
    // Guarded by `done`: written once before signal, read after wait.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    func store(_ bytes: Data) {
        data = bytes
        done.signal()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
