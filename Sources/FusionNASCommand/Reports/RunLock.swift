import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on a run directory, held for the lifetime of the process that runs in it.
///
/// Two processes writing one run directory interleave `metrics.jsonl` and replace each other's
/// checkpoints, so the second is refused at once with the first one's process id. `flock` on
/// `.lock` inside the directory: the kernel releases it when the holder exits, even when killed,
/// so a stale lock file never blocks a resume.
final class RunLock {
    static let fileName = ".lock"
    private let descriptor: Int32

    /// Takes the lock of `directory` (which must exist) without waiting.
    ///
    /// - Throws: ``RunDirectory/Failure/inUse(_:holder:)`` when another process holds it.
    init(directory: URL) throws {
        let path = directory.appendingPathComponent(Self.fileName).path
        // Close-on-exec: worker processes must not inherit (and so extend) the parent's lock.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RunDirectory.Failure.cannotCreate(directory.path, reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw RunDirectory.Failure.inUse(directory.path, holder: Self.readHolder(path))
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The process holding the lock of `directory`: its id, 0 when held but the id is unreadable,
    /// nil when nobody holds it.
    static func holder(of directory: URL) -> Int32? {
        let path = directory.appendingPathComponent(fileName).path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        return readHolder(path) ?? 0
    }

    /// The process id written in the lock file; the holder writes it just after locking, so a
    /// moment is allowed for it to appear.
    private static func readHolder(_ path: String) -> Int32? {
        for _ in 0..<20 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return pid
            }
            usleep(10_000)
        }
        return nil
    }
}
