import Foundation

/// The scratch run directory of a data-parallel rank other than 0 (see ``DataParallelLaunch``),
/// made so that a rank killed before it could remove it (`kill -9`, out of memory, `mpirun`
/// ending the job) does not leave it in the temporary directory for good.
///
/// Each lives in `$TMPDIR/fusion-nas-scratch-<command>-rank<r>-<uuid>/` beside a lock that its
/// rank holds for as long as it runs (``RunLock``: `flock`, which the kernel releases when the
/// process dies however it dies). Every rank of a data-parallel command first removes the scratch
/// folders whose lock nobody holds, so the next job on the node clears what a killed one left.
/// A folder is given its final name only once its lock is held, so a live rank's scratch is
/// never taken for an orphan.
final class RankScratch {
    static let prefix = "fusion-nas-scratch-"

    /// The folder holding the lock and ``run``; removed by ``remove()``.
    let folder: URL
    /// The scratch run directory, given to the command as `--out` (or `--resume`).
    let run: URL
    private let lock: RunLock

    /// Creates a scratch folder under `temporary`, after removing the orphans there.
    init(command: String, rank: Int, in temporary: URL = FileManager.default.temporaryDirectory) throws {
        let manager = FileManager.default
        Self.removeOrphans(in: temporary)
        let name = "\(Self.prefix)\(command)-rank\(rank)-\(UUID().uuidString)"
        // Built under a hidden name, which orphan removal ignores, and renamed once locked.
        let building = temporary.appendingPathComponent(".building-" + name)
        try manager.createDirectory(at: building, withIntermediateDirectories: true)
        do {
            lock = try RunLock(directory: building)
            folder = temporary.appendingPathComponent(name)
            try manager.moveItem(at: building, to: folder)
        } catch {
            try? manager.removeItem(at: building)
            throw error
        }
        run = folder.appendingPathComponent("run")
    }

    /// Removes the folder; the lock is released when this object goes.
    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Removes every scratch folder under `temporary` whose lock no process holds: left by a rank
    /// that was killed. Folders of live ranks keep their lock and are left alone.
    static func removeOrphans(in temporary: URL) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: temporary.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            let folder = temporary.appendingPathComponent(name)
            if RunLock.holder(of: folder) == nil { try? manager.removeItem(at: folder) }
        }
    }
}
