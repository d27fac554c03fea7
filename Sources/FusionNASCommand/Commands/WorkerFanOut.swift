import Foundation
import Layers

/// `--workers N` for commands whose seeds are independent (`sweep`, `study`): the seeds are dealt
/// round-robin to N copies of this executable, each with the run's saved configuration, its share
/// of the seeds, its own run directory under `workers/` and `threads / N` threads; the parent waits
/// and merges their rows in the order of the seeds.
///
/// Separate processes rather than threads, because the thread count and the worker pool are
/// process-wide settings. Results do not depend on the thread count (see Docs/architecture.md),
/// so the merged outputs equal, bit for bit, a run with `--workers 1`.
struct WorkerFanOut {
    static let option = OptionSpec(
        name: "workers", kind: .int(minimum: 1), default: .int(1),
        help: "Processes the seeds are shared between (each gets threads / N threads); outputs equal --workers 1.")

    let command: String
    let session: Session
    let seeds: [UInt64]
    let workers: Int

    /// The seeds of worker `index`.
    func seeds(of index: Int) -> [UInt64] { stride(from: index, to: seeds.count, by: workers).map { seeds[$0] } }

    /// Runs the workers to the end and returns their run directories, in worker order. Throws,
    /// naming the worker, its seeds and its log, when one fails.
    func run() throws -> [URL] {
        let directory = session.run.file("workers")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configuration = directory.appendingPathComponent("config.json")
        try Data(try workerConfiguration().utf8).write(to: configuration, options: .atomic)
        let totalThreads = session.options.optionalInt("threads") ?? ProcessInfo.processInfo.activeProcessorCount
        let threads = max(1, totalThreads / workers)
        var running: [(index: Int, process: Process, out: URL, log: URL)] = []
        for index in 0..<min(workers, seeds.count) {
            let out = directory.appendingPathComponent("\(index)")
            let log = directory.appendingPathComponent("\(index).log")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            process.arguments = [
                command, "--config", configuration.path, "--seeds", seeds(of: index).map(String.init).joined(separator: ","),
                "--out", out.path, "--threads", String(threads), "--workers", "1",
            ]
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            session.progress.info("worker \(index): seeds \(seeds(of: index).map(String.init).joined(separator: ",")), \(threads) thread(s), log \(log.path)")
            running.append((index, process, out, log))
        }
        var failures: [String] = []
        for worker in running {
            worker.process.waitUntilExit()
            if worker.process.terminationStatus == 0 {
                session.progress.info("worker \(worker.index) finished")
            } else {
                failures.append(
                    "worker \(worker.index) (seeds \(seeds(of: worker.index).map(String.init).joined(separator: ","))) "
                        + "exited with status \(worker.process.terminationStatus); see \(worker.log.path)")
            }
        }
        guard failures.isEmpty else { throw WorkerFailure(message: failures.joined(separator: "\n")) }
        return running.map(\.out)
    }

    /// The run's resolved options for the workers, with plugin paths made absolute (the workers
    /// read it from another directory).
    func workerConfiguration() throws -> String {
        let saved = try Data(contentsOf: session.run.url(for: .config))
        guard var object = try JSONSerialization.jsonObject(with: saved) as? [String: Any] else {
            throw WorkerFailure(message: "\(session.run.url(for: .config).path) is not a JSON object")
        }
        let here = FileManager.default.currentDirectoryPath
        let configDirectory = session.options.url("config")?.deletingLastPathComponent().path ?? here
        func absolute(_ key: String, from base: String) {
            guard let paths = object[key] as? [String] else { return }
            object[key] = paths.map { $0.hasPrefix("/") ? $0 : URL(fileURLWithPath: base).appendingPathComponent($0).standardized.path }
        }
        absolute("plugin", from: here)
        absolute("plugins", from: configDirectory)
        for key in ["out", "resume", "config", "workers", "seeds", "threads"] { object.removeValue(forKey: key) }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Decoded `rows.json` of each worker directory, merged in the order of `seeds`; within a seed
    /// a worker's own order is kept.
    static func mergedRows<Row: Decodable>(_ directories: [URL], seeds: [UInt64], seedOf: (Row) -> UInt64) throws -> [Row] {
        var rows: [Row] = []
        for directory in directories {
            let url = directory.appendingPathComponent(rowsFile)
            rows += try JSONDecoder().decode([Row].self, from: Data(contentsOf: url))
        }
        let position = Dictionary(uniqueKeysWithValues: seeds.enumerated().map { ($1, $0) })
        return rows.enumerated().sorted { a, b in
            let (pa, pb) = (position[seedOf(a.element)] ?? 0, position[seedOf(b.element)] ?? 0)
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
    }

    /// Every row of a sweep or study as JSON, exact to the bit, for merging workers' results.
    static let rowsFile = "rows.json"

    static func writeRows<Row: Encodable>(_ rows: [Row], in run: RunDirectory) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(rows), to: run.file(rowsFile))
    }
}

/// A worker process failed; the message names it, its seeds and its log.
struct WorkerFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
