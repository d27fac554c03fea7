import Foundation
import Layers
import MessagePassing

#if canImport(Glibc)
    import Glibc
#endif

/// `sweep` and `study` under `mpirun -np K` (or `srun --mpi=pmix`): the seeds are dealt
/// round-robin to the ranks exactly as ``WorkerFanOut`` deals them to worker processes, each rank
/// runs its share in-process in `workers/<rank>` of the run directory (log `workers/<rank>.log`),
/// and rank 0 merges their `rows.json` with ``WorkerFanOut/mergedRows(_:seeds:seedOf:)``, so the
/// outputs equal, bit for bit, those of one process.
///
/// Rank 0 alone checks the options and creates the run directory, then broadcasts where it is;
/// every rank reports back whether its share succeeded, and rank 0 names each failed rank with its
/// seeds and log. A rank that finished leaves `workers/<rank>.done`: `--resume` under `mpirun` with
/// the same rank count skips those ranks and resumes the others in their own directories.
/// The plain binary never reaches this code (``MPILaunch`` reads only the environment) and so never
/// initialises MPI.
enum MPIFanOut {
    /// Set while a rank runs its own share, so the nested command runs as one process would.
    nonisolated(unsafe) private static var runningShare = false

    /// Runs `command` fanned out over the ranks and returns true, or returns false (doing nothing)
    /// when the process was not started by an MPI launcher or is one of a single rank.
    ///
    /// - Parameters:
    ///   - finish: on rank 0, once every rank succeeded: writes the run's outputs from the ranks'
    ///     directories (in rank order, those of ranks that had seeds) and the full seed list.
    /// Ends every rank after rank 0 has said why (`error`, given on rank 0). mpirun aborts the job
    /// at the first rank that exits non-zero, so the others wait at a barrier until rank 0's message
    /// is out; otherwise rank 0 could be killed before printing it.
    static func refuse(_ error: (any Error)?, world: MPIWorld) -> ExitCode {
        var status: Int32 = 1
        if let exit = error as? ExitCode {
            status = exit.status
        } else if world.rank == 0, let error {
            let report = CommandLineTool.report(error, toolName: "fusion-nas")
            FileHandle.standardError.write(Data(report.message.utf8))
            status = report.status
        } else if error is UsageError {
            status = 2
        }
        world.barrier()
        return ExitCode(status)
    }

    static func runIfLaunched(
        _ command: Command, given: OptionValues, finish: (Session, _ directories: [URL], _ seeds: [UInt64]) throws -> Void
    ) throws -> Bool {
        guard !runningShare, MPILaunch.isLaunched() else { return false }
        let world = MPIWorld.shared
        defer { world.finalize() }
        guard world.size > 1 else { return false }
        if given.int("workers") > 1 {
            // Every rank refuses, so none waits for the others; rank 0 alone says why.
            var refusal = UsageError("--workers and mpirun both share the seeds between processes; use one of them (drop --workers under mpirun)")
            refusal.command = command.name
            throw refuse(refusal, world: world)
        }

        // Rank 0 checks the options and creates the run directory; the others learn its path or
        // that it failed (rank 0 prints why).
        var session: Session?
        var plan = Plan(failed: true, run: "", seeds: [], ranks: world.size)
        if world.rank == 0 {
            do {
                let opened = try Session(options: given, label: command.name)
                plan = try opened.perform { try start(opened, command: command.name, ranks: world.size) }
                session = opened
            } catch {
                _ = world.broadcast(plan.encoded, from: 0)
                throw refuse(error, world: world)
            }
        }
        plan = Plan(decoding: world.broadcast(plan.encoded, from: 0))
        if plan.failed { throw refuse(nil, world: world) }

        let run = URL(fileURLWithPath: plan.run)
        let share = plan.seeds(of: world.rank)
        // --threads is per rank here (as OMP_NUM_THREADS is per MPI process); by default the node's
        // cores are divided between the ranks placed on it.
        let threads = given.optionalInt("threads") ?? max(1, ProcessInfo.processInfo.activeProcessorCount / MPILaunch.ranksOnThisNode())
        let failure = share.isEmpty ? nil : runShare(command, seeds: share, rank: world.rank, threads: threads, run: run)
        let reports = world.gather(Array((failure ?? "").utf8), to: 0)
        guard let reports, let session else { return true }

        let failures = reports.enumerated().compactMap { rank, bytes -> String? in
            guard !bytes.isEmpty else { return nil }
            let seeds = plan.seeds(of: rank).map(String.init).joined(separator: ",")
            return "rank \(rank) (seeds \(seeds), run directory \(run.path)/workers/\(rank)) failed: "
                + String(decoding: bytes, as: UTF8.self) + "; see \(run.path)/workers/\(rank).log"
        }
        try session.perform {
            guard failures.isEmpty else {
                throw WorkerFailure(
                    message: failures.joined(separator: "\n")
                        + "\nthe other ranks' runs are kept; rerun with mpirun ... \(command.name) --resume \(run.path) to redo only what is missing")
            }
            let ranks = (0..<plan.ranks).filter { !plan.seeds(of: $0).isEmpty }
            try finish(session, ranks.map { run.appendingPathComponent("workers/\($0)") }, plan.seeds)
        }
        return true
    }

    /// What rank 0 tells the others: the run directory, every seed, and the rank count the seeds
    /// were dealt to.
    private struct Plan: Codable {
        var failed: Bool
        var run: String
        var seeds: [UInt64]
        var ranks: Int

        init(failed: Bool, run: String, seeds: [UInt64], ranks: Int) {
            (self.failed, self.run, self.seeds, self.ranks) = (failed, run, seeds, ranks)
        }

        init(decoding bytes: [UInt8]) {
            self = (try? JSONDecoder().decode(Plan.self, from: Data(bytes))) ?? Plan(failed: true, run: "", seeds: [], ranks: 1)
        }

        var encoded: [UInt8] { Array((try? JSONEncoder().encode(self)) ?? Data()) }

        /// The seeds of `rank`: the same round-robin as ``WorkerFanOut/seeds(_:of:workers:)``.
        func seeds(of rank: Int) -> [UInt64] { stride(from: rank, to: seeds.count, by: ranks).map { seeds[$0] } }
    }

    /// On rank 0: creates (or reopens) the run directory and writes the ranks' configuration.
    private static func start(_ session: Session, command: String, ranks: Int) throws -> Plan {
        try session.start()
        let seeds = session.options.list("seeds").compactMap { UInt64($0) }
        let workers = session.run.file("workers")
        let ranksFile = workers.appendingPathComponent("ranks")
        if session.run.isResumed {
            let saved = (try? String(contentsOf: ranksFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            guard saved == ranks else {
                throw UsageError(
                    "\(session.run.url.path) was run under mpirun with \(saved.map(String.init) ?? "an unknown number of") ranks; resume it with the same -np (now \(ranks)), as the seeds were dealt to them")
            }
        } else {
            try FileManager.default.createDirectory(at: workers, withIntermediateDirectories: true)
            let configuration = try WorkerFanOut(command: command, session: session, seeds: seeds, workers: ranks).workerConfiguration()
            try AtomicFile.write(Data(configuration.utf8), to: workers.appendingPathComponent("config.json"))
            try AtomicFile.write(Data("\(ranks)\n".utf8), to: ranksFile)
        }
        let plan = Plan(failed: false, run: session.run.url.path, seeds: seeds, ranks: ranks)
        for rank in 0..<ranks where !plan.seeds(of: rank).isEmpty {
            session.progress.info(
                "rank \(rank): seeds \(plan.seeds(of: rank).map(String.init).joined(separator: ",")), log \(workers.path)/\(rank).log")
        }
        return plan
    }

    /// Runs this rank's seeds in `workers/<rank>` with output sent to `workers/<rank>.log`; returns
    /// nil on success, else what went wrong.
    private static func runShare(_ command: Command, seeds: [UInt64], rank: Int, threads: Int, run: URL) -> String? {
        let workers = run.appendingPathComponent("workers")
        let directory = workers.appendingPathComponent("\(rank)")
        let done = workers.appendingPathComponent("\(rank).done")
        if FileManager.default.fileExists(atPath: done.path) { return nil }
        var arguments = [String]()
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent(RunDirectory.File.config.rawValue).path) {
            arguments = ["--resume", directory.path]
        } else {
            arguments = [
                "--config", workers.appendingPathComponent("config.json").path,
                "--seeds", seeds.map(String.init).joined(separator: ","), "--out", directory.path, "--workers", "1",
            ]
        }
        arguments += ["--threads", String(threads)]

        let log = workers.appendingPathComponent("\(rank).log")
        let redirection = OutputRedirection(to: log)
        runningShare = true
        defer { runningShare = false }
        var failure: String?
        do {
            guard case .values(let values) = try command.parser.parse(arguments) else { throw UsageError("unexpected --help") }
            try command.run(values)
        } catch let error as UsageError {
            failure = error.message
        } catch let exit as ExitCode {
            failure = "exited with status \(exit.status)"
        } catch {
            failure = "\(error)"
        }
        if let failure { writeAll("error: \(failure)\n", to: STDERR_FILENO) }
        redirection?.restore()
        if failure == nil { _ = FileManager.default.createFile(atPath: done.path, contents: Data()) }
        return failure
    }
}

/// Sends this process's standard output and error to a file until ``restore()``: a rank's share
/// prints what a worker process of ``WorkerFanOut`` would print to its log.
private struct OutputRedirection {
    let savedOutput: Int32
    let savedError: Int32

    init?(to file: URL) {
        let fd = open(file.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { return nil }
        fflush(nil)
        savedOutput = dup(STDOUT_FILENO)
        savedError = dup(STDERR_FILENO)
        dup2(fd, STDOUT_FILENO)
        dup2(fd, STDERR_FILENO)
        close(fd)
    }

    func restore() {
        fflush(nil)
        dup2(savedOutput, STDOUT_FILENO)
        dup2(savedError, STDERR_FILENO)
        close(savedOutput)
        close(savedError)
    }
}
