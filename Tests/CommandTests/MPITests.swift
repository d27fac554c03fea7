import Foundation
import Testing

/// `fusion-nas` under `mpirun -np 2` on loopback (Docs/distributed.md). CI installs Open MPI through
/// Scripts/install-system-packages, so these run there; they are skipped only where `mpirun` is absent.
@Suite(.serialized, .enabled(if: MPIRun.mpirun != nil, "mpirun is not installed; Scripts/install-system-packages installs openmpi-bin"))
struct MPITests {
    static let sweep = [
        "sweep", "--fractions", "0.5", "--seeds", "0,1,2", "--modalities", "fou,kar", "--search-epochs", "1",
        "--pretrain-epochs", "1", "--finetune-epochs", "2", "--channels", "8", "--length", "4", "--batch-size", "128",
        "--threads", "1", "--quiet",
    ]

    @Test func sweepOverTwoRanksEqualsOneProcessBitForBitAndResumesOnlyTheFailedRank() throws {
        let directory = try FusionNASBinary.temporaryDirectory("mpi-sweep")
        let one = try FusionNASBinary.run(Self.sweep + ["--out", "one"], in: directory)
        try #require(one.status == 0, "\(one.output)")
        let two = try MPIRun.run(Self.sweep + ["--out", "two"], ranks: 2, in: directory)
        try #require(two.status == 0, "\(two.output)")
        try expectSameOutputs(directory, "one", "two")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("one/workers").path), "a plain run fans out nothing")
        // Rank 1 had seed 1; its log and directory are kept under workers/.
        let rankLog = try String(contentsOf: directory.appendingPathComponent("two/workers/1.log"), encoding: .utf8)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("two/workers/1/genotypes/ssl-seed1.json").path), "\(rankLog)")

        // Rank 1 fails on resume (its saved configuration is broken); rank 0 finished before and is skipped.
        let workers = directory.appendingPathComponent("two/workers")
        let config = workers.appendingPathComponent("1/config.json")
        let saved = try Data(contentsOf: config)
        try FileManager.default.removeItem(at: workers.appendingPathComponent("1.done"))
        try Data("{".utf8).write(to: config)
        let failed = try MPIRun.run(["sweep", "--resume", "two"], ranks: 2, in: directory)
        #expect(failed.status != 0)
        #expect(failed.output.contains("rank 1 (seeds 1, run directory"), "the failure names the rank and its seeds: \(failed.output)")
        #expect(!failed.output.contains("rank 0 (seeds"), "\(failed.output)")

        try saved.write(to: config)
        let resumed = try MPIRun.run(["sweep", "--resume", "two"], ranks: 2, in: directory)
        try #require(resumed.status == 0, "\(resumed.output)")
        try expectSameOutputs(directory, "one", "two")
        let wrongCount = try MPIRun.run(["sweep", "--resume", "two"], ranks: 3, in: directory)
        #expect(wrongCount.status != 0 && wrongCount.output.contains("with 2 ranks"), "\(wrongCount.output)")
    }

    @Test func studyOverTwoRanksEqualsOneProcessBitForBit() throws {
        let directory = try FusionNASBinary.temporaryDirectory("mpi-study")
        let study = ["study", "--architectures", "late-fusion,linear", "--weights", "scratch", "--fractions", "0.5", "--seeds", "0,1,2"]
            + StudyCommandTests.tiny
        let one = try FusionNASBinary.run(study + ["--out", "one"], in: directory)
        try #require(one.status == 0, "\(one.output)")
        let two = try MPIRun.run(study + ["--out", "two"], ranks: 2, in: directory)
        try #require(two.status == 0, "\(two.output)")
        for file in ["study.csv", "study.md", "rows.json"] {
            let a = try Data(contentsOf: directory.appendingPathComponent("one/\(file)"))
            let b = try Data(contentsOf: directory.appendingPathComponent("two/\(file)"))
            #expect(a == b, "\(file) differs between one process and two ranks")
        }
    }

    /// `mpi-check` compares, in one mpirun job, the gathered-negatives losses and gradients and a
    /// data-parallel search (batch split over the ranks, BatchNorm synchronised) with one process.
    @Test func gatheredNegativesAndADataParallelSearchOverTwoRanksEqualOneProcess() throws {
        let directory = try FusionNASBinary.temporaryDirectory("mpi-check")
        let check = try MPIRun.run(
            ["mpi-check", "--rows", "3", "--search-epochs", "2", "--batch-size", "128", "--search-tolerance", "1e-4"], ranks: 2,
            in: directory)
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("ranks 2, global batch 6") && check.output.contains("ok: within"), "\(check.output)")
        #expect(check.output.contains("genotype same") && check.output.contains("ok: search within"), "\(check.output)")
        let plain = try FusionNASBinary.run(["mpi-check"], in: directory)
        #expect(plain.status == 0 && plain.output.contains("ranks 1,"), "without mpirun it runs as one rank: \(plain.output)")
    }

    /// `search` under mpirun splits each global batch over the ranks; with the default dropout
    /// (masks drawn for the global batch, each rank keeping its rows) it finds one process's
    /// genotype with the same losses.
    @Test func searchOverTwoRanksFindsTheOneProcessGenotypeAndResumes() throws {
        let directory = try FusionNASBinary.temporaryDirectory("mpi-search")
        let search = [
            "search", "--modalities", "fou,kar", "--epochs", "2", "--channels", "8", "--length", "4", "--batch-size", "128",
            "--threads", "1", "--quiet",
        ]
        let one = try FusionNASBinary.run(search + ["--out", "one"], in: directory)
        try #require(one.status == 0, "\(one.output)")
        let two = try MPIRun.run(search + ["--out", "two"], ranks: 2, in: directory)
        try #require(two.status == 0, "\(two.output)")
        let genotype = { (run: String) in try Data(contentsOf: directory.appendingPathComponent("\(run)/genotype.json")) }
        #expect(try genotype("one") == genotype("two"))
        let losses = { (run: String) throws -> [Double] in
            try String(contentsOf: directory.appendingPathComponent("\(run)/metrics.jsonl"), encoding: .utf8)
                .split(separator: "\n").compactMap { line -> Double? in
                    let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    return record?["train_loss"] as? Double
                }
        }
        let (a, b) = (try losses("one"), try losses("two"))
        #expect(a.count == 2 && b.count == 2)
        for (x, y) in zip(a, b) { #expect(Swift.abs(x - y) <= 1e-4 * Swift.abs(x), "train loss \(y) against one process's \(x)") }
        // Every rank restores the run's checkpoint (rank 0 in place, the others from a copy).
        let resumed = try MPIRun.run(["search", "--resume", "two"], ranks: 2, in: directory)
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(try genotype("one") == genotype("two"))
    }

    @Test func refusedOptionsEndEveryRankWithOneMessage() throws {
        let directory = try FusionNASBinary.temporaryDirectory("mpi-refused")
        let refused = try MPIRun.run(Self.sweep + ["--out", "w", "--workers", "2"], ranks: 2, in: directory)
        #expect(refused.status != 0, "\(refused.output)")
        #expect(refused.output.components(separatedBy: "use one of them").count == 2, "one message, from rank 0: \(refused.output)")
        // Refused by rank 0 alone, after the others started waiting for the run directory.
        let conflicting = try MPIRun.run(Self.sweep + ["--out", "x", "--resume", "missing"], ranks: 2, in: directory)
        #expect(conflicting.status != 0, "\(conflicting.output)")
        #expect(conflicting.output.components(separatedBy: "error: ").count == 2, "one message, from rank 0: \(conflicting.output)")
    }

    func expectSameOutputs(_ directory: URL, _ a: String, _ b: String) throws {
        for file in ["results.csv", "results.md", "rows.json", "genotypes/ssl-seed2.json", "genotypes/supervised-r0.5-seed1.json"] {
            let one = try Data(contentsOf: directory.appendingPathComponent("\(a)/\(file)"))
            let two = try Data(contentsOf: directory.appendingPathComponent("\(b)/\(file)"))
            #expect(one == two, "\(file) differs between one process and two ranks")
        }
    }
}

/// Runs the built tool under Open MPI's `mpirun` on this machine.
enum MPIRun {
    /// `mpirun` on the PATH, if any.
    static let mpirun: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// `mpirun -np ranks fusion-nas arguments` in `directory`, to the end. As root Open MPI wants
    /// --allow-run-as-root; --oversubscribe lets a 2-core machine start more ranks than cores.
    /// `environment` entries are added to this process's environment (mpirun passes them on to the ranks).
    static func run(
        _ arguments: [String], ranks: Int, in directory: URL, environment: [String: String] = [:]
    ) throws -> (status: Int32, output: String) {
        let (process, log) = try start(arguments, ranks: ranks, in: directory, environment: environment)
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// Starts `mpirun -np ranks fusion-nas arguments` in `directory`; returns it and its log file.
    static func start(
        _ arguments: [String], ranks: Int, in directory: URL, environment: [String: String] = [:]
    ) throws -> (process: Process, log: URL) {
        let process = Process()
        let mpirun: URL = try #require(Self.mpirun)
        process.executableURL = mpirun
        process.arguments = ["--allow-run-as-root", "--oversubscribe", "-np", String(ranks), FusionNASBinary.url.path] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = directory
        let log = directory.appendingPathComponent("mpirun-\(UUID().uuidString).txt")
        try #require(FileManager.default.createFile(atPath: log.path, contents: nil), "cannot create \(log.path)")
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return (process, log)
    }
}
