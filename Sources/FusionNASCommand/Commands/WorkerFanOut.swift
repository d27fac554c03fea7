import Foundation
import Layers

/// `--workers N` for commands whose work splits into independent shares: the seeds of `sweep` and
/// `study`, dealt round-robin to N copies of this executable, or the two arms of `run`. Each copy
/// gets the run's saved configuration, the arguments that select its share, its own run directory
/// `workers/<name>` (log `workers/<name>.log`) and `threads / N` threads; the parent waits and
/// merges their outputs.
///
/// Separate processes rather than threads, because the thread count and the worker pool are
/// process-wide settings. Results do not depend on the thread count (see Docs/architecture.md),
/// so the merged outputs equal, bit for bit, a run with `--workers 1`.
///
/// A worker whose directory already holds a run (the parent is being resumed) resumes it rather
/// than starting afresh, as an MPI rank does (``MPIFanOut``).
struct WorkerFanOut {
    static let option = OptionSpec(
        name: "workers", kind: .int(minimum: 1), default: .int(1),
        help: "Processes the seeds are shared between (each gets threads / N threads); outputs equal --workers 1.")

    /// One worker's part of the job.
    struct Share {
        /// Its directory `workers/<name>` and log `workers/<name>.log`.
        let name: String
        /// What it runs, in words, for progress lines and failures (`seeds 0,2`, `the supervised baseline`).
        let description: String
        /// The options that select the share, added to the saved configuration.
        let arguments: [String]
    }

    let command: String
    let session: Session
    let shares: [Share]
    /// Threads per worker: the run's threads divided by the worker count.
    let threads: Int

    /// The seeds dealt round-robin to `workers` workers (fewer when there are fewer seeds).
    init(command: String, session: Session, seeds: [UInt64], workers: Int) {
        let shares = (0..<min(workers, seeds.count)).map { index in
            let share = Self.seeds(seeds, of: index, workers: workers).map(String.init).joined(separator: ",")
            return Share(name: "\(index)", description: "seeds \(share)", arguments: ["--seeds", share])
        }
        self.init(command: command, session: session, shares: shares, workers: workers)
    }

    /// One worker per share; `workers` (the `--workers` given) divides the threads.
    init(command: String, session: Session, shares: [Share], workers: Int) {
        self.command = command
        self.session = session
        self.shares = shares
        let totalThreads = session.options.optionalInt("threads") ?? ProcessInfo.processInfo.activeProcessorCount
        threads = max(1, totalThreads / workers)
    }

    /// The seeds of worker `index` of `workers`.
    static func seeds(_ seeds: [UInt64], of index: Int, workers: Int) -> [UInt64] {
        stride(from: index, to: seeds.count, by: workers).map { seeds[$0] }
    }

    /// Runs the workers to the end and returns their run directories, in share order. Throws,
    /// naming the worker, its share and its log, when one fails.
    func run() throws -> [URL] {
        let directory = session.run.file("workers")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configuration = directory.appendingPathComponent("config.json")
        try Data(try workerConfiguration().utf8).write(to: configuration, options: .atomic)
        var running: [(share: Share, process: Process, out: URL, log: URL)] = []
        for share in shares {
            let out = directory.appendingPathComponent(share.name)
            let log = directory.appendingPathComponent("\(share.name).log")
            let resumes = FileManager.default.fileExists(atPath: out.appendingPathComponent(RunDirectory.File.config.rawValue).path)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            process.arguments =
                [command]
                + (resumes
                    ? ["--resume", out.path]
                    : ["--config", configuration.path] + share.arguments + ["--out", out.path, "--workers", "1"])
                + ["--threads", String(threads)]
            if !FileManager.default.fileExists(atPath: log.path) || !resumes {
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: log)
            try handle.seekToEnd()
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            session.progress.info(
                "worker \(share.name): \(share.description), \(threads) thread(s)\(resumes ? ", resuming" : ""), log \(log.path)")
            running.append((share, process, out, log))
        }
        var failures: [String] = []
        for worker in running {
            worker.process.waitUntilExit()
            if worker.process.terminationStatus == 0 {
                session.progress.info("worker \(worker.share.name) finished")
            } else {
                failures.append(
                    "worker \(worker.share.name) (\(worker.share.description)) "
                        + "exited with status \(worker.process.terminationStatus); see \(worker.log.path)")
            }
        }
        guard failures.isEmpty else { throw WorkerFailure(message: failures.joined(separator: "\n")) }
        return running.map(\.out)
    }

    /// The run's resolved options for the workers, with plugin paths made absolute (the workers
    /// read it from another directory). Written like `config.json`, by ``JSONValue``, so that
    /// Doubles such as `"beta-decay": 0.0` keep their decimal point.
    func workerConfiguration() throws -> String {
        let saved = try Data(contentsOf: session.run.url(for: .config))
        guard case .object(var object) = try JSONValue.parse(saved) else {
            throw WorkerFailure(message: "\(session.run.url(for: .config).path) is not a JSON object")
        }
        let here = FileManager.default.currentDirectoryPath
        let configDirectory = session.options.url("config")?.deletingLastPathComponent().path ?? here
        func absolute(_ key: String, from base: String) {
            guard case .array(let items)? = object[key] else { return }
            object[key] = .array(items.map { item in
                guard case .string(let path) = item, !path.hasPrefix("/") else { return item }
                return .string(URL(fileURLWithPath: base).appendingPathComponent(path).standardized.path)
            })
        }
        absolute("plugin", from: here)
        absolute("plugins", from: configDirectory)
        for key in ["out", "resume", "config", "workers", "seeds", "threads"] { object.removeValue(forKey: key) }
        return JSONValue.object(object).rendered(pretty: true) + "\n"
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
