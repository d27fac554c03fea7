#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a directory cannot be created, in words a user can act on; Foundation says only "The
/// operation could not be completed (NSCocoaErrorDomain error 512)".
public enum WritableDirectory {
    /// What stands in the way of creating `path` with its missing parents: the nearest part of the
    /// path that exists and is not a directory, or the nearest existing directory this user cannot
    /// write to. Nil when neither explains it (the caller then keeps the system's reason).
    public static func problem(creating path: String) -> String? {
        let absolute = path.hasPrefix("/") ? path : currentDirectory() + "/" + path
        var parts = absolute.split(separator: "/").map(String.init)
        while !parts.isEmpty {
            let prefix = "/" + parts.joined(separator: "/")
            var status = stat()
            if stat(prefix, &status) == 0 {
                guard (status.st_mode & S_IFMT) == S_IFDIR else {
                    return "'\(prefix)' is a file, not a directory; choose a path whose parent folders are directories"
                }
                if prefix == absolute.trimmingTrailingSlashes { return nil }
                guard access(prefix, W_OK | X_OK) == 0 else {
                    return "permission denied: this user cannot create anything in '\(prefix)'; choose a directory you can write to"
                }
                return nil
            }
            parts.removeLast()
        }
        return nil
    }

    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension String {
    fileprivate var trimmingTrailingSlashes: String {
        var text = self
        while text.count > 1 && text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
