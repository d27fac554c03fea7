#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file that cannot be read, with the reason in words a user can act on.
///
/// Foundation reports the same failures as "The operation could not be completed
/// (NSCocoaErrorDomain error 256)", "file not found" for a symbolic link loop, or "You don't have
/// permission" for a named pipe read as root; every loader and command of the project reads its
/// input files through ``ReadableFile`` instead, and wraps ``reason`` in its own error type.
public struct FileReadError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The path as given.
    public let path: String
    /// What is wrong with it and what to do, without the path: "is a directory, not a file; ...".
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

/// Reads whole input files with POSIX calls, so that each refusal says which of the things that
/// can be wrong with a path is wrong (missing, a dangling or looping link, a directory, a pipe,
/// no permission).
public enum ReadableFile {
    /// The bytes of the regular file at `path` (symbolic links followed).
    ///
    /// A named pipe, socket or device is refused before it is opened: reading a pipe would wait
    /// for a writer, from the user's side for ever.
    ///
    /// - Throws: ``FileReadError`` naming `path` and the problem.
    public static func bytes(at path: String) throws(FileReadError) -> [UInt8] {
        if let reason = problem(reading: path) { throw FileReadError(path: path, reason: reason) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileReadError(path: path, reason: openFailure(path: path, error: errno)) }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_size > 0 { result.reserveCapacity(Int(status.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileReadError(path: path, reason: "cannot be read: \(describe(errno))")
            }
            if count == 0 { return result }
            result += chunk[0..<count]
        }
    }

    /// What keeps `path` from being read as a regular file, or nil when nothing does (permission
    /// is known only when the file is opened: see ``bytes(at:)``).
    public static func problem(reading path: String) -> String? {
        var link = stat()
        guard lstat(path, &link) == 0 else { return missing(path: path, error: errno) }
        var status = stat()
        if stat(path, &status) != 0 {
            let error = errno
            guard (link.st_mode & S_IFMT) == S_IFLNK else { return "cannot be examined: \(describe(error))" }
            switch error {
            case ELOOP:
                return "is a symbolic link that loops (too many levels of symbolic links); point it at the file itself"
            case ENOENT, ENOTDIR:
                return "is a symbolic link to '\(linkTarget(path) ?? "?")', which does not exist; fix or remove the link"
            default:
                return "is a symbolic link that cannot be followed: \(describe(error))"
            }
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "is a directory, not a file; name the file inside it"
        case S_IFIFO: return "is a named pipe (FIFO), not a regular file (reading it would wait for a writer); give the path of the file itself"
        case S_IFSOCK: return "is a socket, not a regular file; give the path of the file itself"
        case S_IFCHR, S_IFBLK: return "is a device, not a regular file; give the path of the file itself"
        default: return "is not a regular file; give the path of the file itself"
        }
    }

    /// Why `lstat` found nothing at `path`.
    static func missing(path: String, error: Int32) -> String {
        switch error {
        case ENOENT: return "file not found"
        case ENOTDIR: return "file not found: a part of the path before the file name is a file, not a directory"
        case ELOOP: return "file not found: a symbolic link in the path's directories loops (too many levels of symbolic links)"
        case EACCES: return "permission denied: this user cannot look inside one of the path's directories"
        case ENAMETOOLONG: return "the path is too long"
        default: return "cannot be examined: \(describe(error))"
        }
    }

    /// Why `open` refused a regular file.
    static func openFailure(path: String, error: Int32) -> String {
        guard error == EACCES || error == EPERM else { return "cannot be opened: \(describe(error))" }
        var status = stat()
        let detail = stat(path, &status) == 0
            ? " (mode \(String(status.st_mode & 0o777, radix: 8)), owner uid \(status.st_uid); this process runs as uid \(getuid()))" : ""
        return "permission denied: this user cannot read it\(detail); make it readable, e.g. chmod a+r"
    }

    static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The C library's words for `error` ("Input/output error").
    static func describe(_ error: Int32) -> String {
        String(cString: strerror(error))
    }
}
