import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A rank of a data-parallel command killed mid-run (`kill -9`: no clean-up runs) leaves its
/// scratch run directory; the next data-parallel command on the node removes it, and its own
/// scratch at the end, so nothing accumulates in the temporary directory (Docs/distributed.md).
@Suite(.serialized, .enabled(if: MPIRun.mpirun != nil, "mpirun is not installed; Scripts/install-system-packages installs openmpi-bin"))
struct MPIKilledRankTests {
    @Test func aKilledRanksScratchIsRemovedByTheNextCommand() throws {
        let directory = try FusionNASBinary.temporaryDirectory("mpi-killed-rank")
        // The ranks' own temporary directory, so that only this test's scratch folders are in it.
        let temporary = directory.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let environment = ["TMPDIR": temporary.path]
        let search = [
            "search", "--modalities", "fou,kar", "--channels", "8", "--length", "4", "--batch-size", "64", "--threads", "1",
            "--quiet",
        ]
        func scratchFolders() -> [URL] {
            ((try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [])
                .filter { $0.hasPrefix("fusion-nas-scratch-") }.map { temporary.appendingPathComponent($0) }
        }

        let (job, log) = try MPIRun.start(search + ["--epochs", "500", "--out", "long"], ranks: 2, in: directory, environment: environment)
        defer { if job.isRunning { job.terminate() } }
        // Rank 1's scratch has its first checkpoint: the rank is well into the search.
        var rank1: URL?
        let deadline = Date().addingTimeInterval(120)
        while rank1 == nil && job.isRunning && Date() < deadline {
            rank1 = scratchFolders().first {
                FileManager.default.fileExists(atPath: $0.appendingPathComponent("run/checkpoints/ssl-search.safetensors").path)
            }
            if rank1 == nil { usleep(200_000) }
        }
        let folder = try #require(rank1, "rank 1 wrote no checkpoint: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        let holder = try String(contentsOf: folder.appendingPathComponent(".lock"), encoding: .utf8)
        let pid = try #require(Int32(holder.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, SIGKILL) == 0)
        job.waitUntilExit()
        #expect(job.terminationStatus != 0, "mpirun ends the job when a rank dies")
        #expect(FileManager.default.fileExists(atPath: folder.path), "a rank killed with SIGKILL cannot remove its scratch")

        let next = try MPIRun.run(search + ["--epochs", "1", "--out", "next"], ranks: 2, in: directory, environment: environment)
        #expect(next.status == 0, "\(next.output)")
        #expect(scratchFolders().isEmpty, "left behind: \(scratchFolders().map(\.lastPathComponent))")
    }
}
