import Foundation

/// Runs the built `fusion-nas` executable, which sits next to the test bundle in the build directory.
enum FusionNASBinary {
    static let url: URL = {
        var directory = Bundle.main.bundleURL
        // The test runner lives in (or is) `<build>/debug/...xctest`; the tool is `<build>/debug/fusion-nas`.
        while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("fusion-nas").path) {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("fusion-nas")
    }()

    /// A fresh empty directory for one test.
    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fusion-nas-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Starts the tool with `arguments`; standard output and error go to files in `directory`.
    /// `environment` entries are added to this process's environment.
    static func start(_ arguments: [String], in directory: URL, log: String, environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = directory
        let logURL = directory.appendingPathComponent(log)
        guard FileManager.default.createFile(atPath: logURL.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: logURL.path])
        }
        let handle = try FileHandle(forWritingTo: logURL)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Runs the tool to the end; returns its status and everything it printed.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let log = "log-\(UUID().uuidString).txt"
        let process = try start(arguments, in: directory, log: log, environment: environment)
        process.waitUntilExit()
        let output = (try? String(contentsOf: directory.appendingPathComponent(log), encoding: .utf8)) ?? ""
        return (process.terminationStatus, output)
    }

    /// Options that make `run` finish in seconds in a debug build (two vector views: no CNN).
    static let tinyRun = [
        "--modalities", "fou,kar",
        "--search-epochs", "3", "--pretrain-epochs", "3", "--finetune-epochs", "3", "--encoder-epochs", "2",
        "--channels", "8", "--length", "4", "--batch-size", "32", "--threads", "1",
    ]
}
