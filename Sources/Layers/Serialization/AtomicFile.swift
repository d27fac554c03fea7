import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces files so that a crash or power loss leaves either the old contents or the new, never a mix.
///
/// The data goes to a temporary file in the target's directory (a rename is only atomic within one
/// file system), which is flushed with `fsync` before being renamed over the target; the directory
/// is then flushed so the rename itself survives a crash.
public enum AtomicFile {
    /// Why an atomic write failed, with the path and the system's reason.
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let operation: String
        public let errorNumber: Int32

        public var description: String {
            "\(path): \(operation) failed: \(String(cString: strerror(errorNumber)))"
        }
    }

    /// Writes `data` to `url`, replacing any existing file atomically.
    public static func write(_ data: Data, to url: URL) throws {
        let target = url.standardizedFileURL.path
        let directory = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        let temporary = "\(directory)/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"

        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path: temporary, operation: "create", errorNumber: errno) }
        var succeeded = false
        defer {
            if !succeeded { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            try data.withUnsafeBytes { buffer in
                var written = 0
                while written < buffer.count {
                    let n = systemWrite(fd, buffer.baseAddress! + written, buffer.count - written)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw WriteError(path: temporary, operation: "write", errorNumber: errno)
                    }
                    written += n
                }
            }
            guard fsync(fd) == 0 else { throw WriteError(path: temporary, operation: "fsync", errorNumber: errno) }
        }
        guard rename(temporary, target) == 0 else {
            throw WriteError(path: target, operation: "rename", errorNumber: errno)
        }
        succeeded = true
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            defer { close(directoryFD) }
            // Some file systems refuse fsync on directories; the file itself is already durable.
            _ = fsync(directoryFD)
        }
    }
}

/// The POSIX `write`, named apart from ``AtomicFile/write(_:to:)`` which shadows it inside the type.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
