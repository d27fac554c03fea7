import FileChecks
import Foundation
import FusionNAS
import Layers
import MultimodalData

/// The size and FNV-1a hash of every data file a run reads, saved as `data-files.json` in its run
/// directory and compared on `--resume`.
///
/// A resumed run restores checkpoints trained on the old contents; continuing them on changed data
/// (same path, same shape, so nothing else notices) would mix two datasets in one result.
struct DataFingerprints: Equatable {
    static let fileName = "data-files.json"
    /// Absolute path -> "size bytes, fnv1a64 hex".
    var files: [String: String]

    /// Fingerprints the files of `dataset` (nothing for a built-in one).
    static func of(dataset: String) throws -> DataFingerprints {
        var files: [String: String] = [:]
        for path in try DatasetLoader.files(path: dataset) {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            files[url.path] = try fingerprint(url)
        }
        return DataFingerprints(files: files)
    }

    /// "N bytes, fnv1a64 0123456789abcdef" of the file's contents, read in 1 MiB pieces.
    static func fingerprint(_ url: URL) throws -> String {
        let handle: FileHandle
        if let reason = ReadableFile.problem(reading: url.path) {
            throw ComponentError("cannot read data file \(url.path) to fingerprint it: \(reason)")
        }
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw ComponentError("cannot read data file \(url.path) to fingerprint it: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var size = 0
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
            piece.withUnsafeBytes { bytes in
                for byte in bytes {
                    hash ^= UInt64(byte)
                    hash = hash &* 0x0000_0100_0000_01b3
                }
            }
            size += piece.count
        }
        return "\(size) bytes, fnv1a64 " + String(format: "%016llx", hash)
    }

    func write(in run: RunDirectory) throws {
        let json = JSONValue.object(files.mapValues { .string($0) })
        try AtomicFile.write(Data((json.rendered(pretty: true) + "\n").utf8), to: run.file(Self.fileName))
    }

    /// The fingerprints saved in `run`, or nil for a run made before they were recorded.
    static func saved(in run: RunDirectory) throws -> DataFingerprints? {
        let url = run.file(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard case .object(let members) = try JSONValue.parse(try Data(contentsOf: url)) else {
            throw ComponentError("\(url.path) is not a JSON object of data files; restore it or start a new run with --out")
        }
        return DataFingerprints(files: members.compactMapValues { if case .string(let s) = $0 { s } else { nil } })
    }

    /// Throws naming the first data file whose contents differ from `saved`.
    func requireUnchanged(since saved: DataFingerprints, run: RunDirectory) throws {
        for (path, before) in saved.files.sorted(by: { $0.key < $1.key }) where files[path] != before {
            let now = files[path] ?? "not read by this configuration"
            throw ComponentError(
                "--resume \(run.url.path): data file \(path) changed since the run started (then \(before), now \(now)); restore that file, or start a new run with --out")
        }
    }
}
