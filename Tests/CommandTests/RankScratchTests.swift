import Foundation
import Testing

@testable import FusionNASCommand

#if canImport(Glibc)
    import Glibc
#endif

/// The scratch folders of data-parallel ranks: a killed rank's is removed by the next command, a
/// live rank's never (MPIKilledRankTests does the same with a rank killed under mpirun).
@Suite struct RankScratchTests {
    @Test func orphansAreRemovedAndLiveScratchIsKept() throws {
        let temporary = try FusionNASBinary.temporaryDirectory("rank-scratch")
        let manager = FileManager.default
        // A killed rank's folder: its lock file is there, nobody holds it.
        let orphan = temporary.appendingPathComponent(RankScratch.prefix + "search-rank1-orphan")
        try manager.createDirectory(at: orphan.appendingPathComponent("run/checkpoints"), withIntermediateDirectories: true)
        try #require(manager.createFile(atPath: orphan.appendingPathComponent(RunLock.fileName).path, contents: Data("12345\n".utf8)))
        // Killed while its lock file was being removed with the rest.
        let unlocked = temporary.appendingPathComponent(RankScratch.prefix + "run-rank2-unlocked")
        try manager.createDirectory(at: unlocked, withIntermediateDirectories: true)
        // Someone else's file that only looks alike, and a folder still being built.
        let other = temporary.appendingPathComponent("fusion-nas-search-rank1-of-an-older-version")
        let building = temporary.appendingPathComponent(".building-" + RankScratch.prefix + "x")
        for folder in [other, building] { try manager.createDirectory(at: folder, withIntermediateDirectories: true) }

        let live = try RankScratch(command: "search", rank: 1, in: temporary)
        #expect(live.folder.lastPathComponent.hasPrefix(RankScratch.prefix + "search-rank1-"))
        #expect(!manager.fileExists(atPath: orphan.path) && !manager.fileExists(atPath: unlocked.path), "orphans are removed first")
        #expect(manager.fileExists(atPath: other.path) && manager.fileExists(atPath: building.path))
        try manager.createDirectory(at: live.run, withIntermediateDirectories: true)

        // A second rank's start leaves the live one alone: its lock is held.
        let second = try RankScratch(command: "search", rank: 2, in: temporary)
        #expect(manager.fileExists(atPath: live.run.path))
        RankScratch.removeOrphans(in: temporary)
        #expect(manager.fileExists(atPath: live.run.path) && manager.fileExists(atPath: second.folder.path))
        live.remove()
        second.remove()
        #expect(!manager.fileExists(atPath: live.folder.path) && !manager.fileExists(atPath: second.folder.path))
    }
}
