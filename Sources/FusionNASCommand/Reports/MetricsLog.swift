import Foundation

/// Appends one JSON object per line to `metrics.jsonl`, written through at once so a crash loses
/// at most the line being written and `tail -f` shows progress live.
public final class MetricsLog {
    /// Why a metrics file could not be written or read.
    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public let url: URL
    private let handle: FileHandle

    /// Opens `url` for appending, creating it if needed (a resumed run keeps its earlier lines).
    public init(url: URL) throws {
        self.url = url
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw Failure(path: url.path, reason: "cannot create the metrics file")
            }
        }
        do {
            handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
        } catch {
            throw Failure(path: url.path, reason: "cannot open for appending: \(error.localizedDescription)")
        }
    }

    deinit { try? handle.close() }

    /// Writes `record` as one line of JSON with sorted keys.
    public func append(_ record: [String: JSONValue]) throws {
        let line = JSONValue.object(record).rendered(pretty: false) + "\n"
        do {
            // FileHandle writes go straight to the descriptor: each line is flushed as it is written.
            try handle.write(contentsOf: Data(line.utf8))
        } catch {
            throw Failure(path: url.path, reason: "cannot append: \(error.localizedDescription)")
        }
    }

    /// Every record of a metrics file, for plots and summaries; a partial last line (a crash mid-write) is skipped.
    public static func read(from url: URL) throws -> [[String: JSONValue]] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw Failure(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        var records: [[String: JSONValue]] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() where !line.isEmpty {
            let isLast = number == lines.count - 1
            guard case .object(let record)? = try? JSONValue.parse(Data(line.utf8)) else {
                if isLast { break }
                throw Failure(path: url.path, reason: "line \(number + 1) is not a JSON object")
            }
            records.append(record)
        }
        return records
    }
}
