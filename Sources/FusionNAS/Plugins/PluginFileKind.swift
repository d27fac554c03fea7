import Foundation

/// What a plugin path names, looked at before `dlopen`: `dlopen` on a FIFO blocks until a writer
/// appears (forever, from the user's side), and on a directory or device it fails with a message
/// that does not say what was wrong with the path.
enum PluginFileKind: Equatable {
    case regularFile
    case missing
    /// Anything else, described for a message: "a directory", "a named pipe (FIFO)", ...
    case other(String)

    /// The kind of `path`, following symbolic links (a link to a library is fine).
    init(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            self = .missing
            return
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: self = .regularFile
        case S_IFDIR: self = .other("a directory")
        case S_IFIFO: self = .other("a named pipe (FIFO)")
        case S_IFSOCK: self = .other("a socket")
        case S_IFCHR: self = .other("a character device")
        case S_IFBLK: self = .other("a block device")
        default: self = .other("not a regular file")
        }
    }
}
