import Foundation

/// The folder holding everything one run produces, with fixed names for its standard files.
///
/// Chosen by ``prepare(out:resume:runsRoot:label:now:timeZone:)``: `--resume DIR` reuses an existing
/// run, `--out DIR` creates (or takes an empty) directory, and otherwise a new timestamped folder
/// appears under `runs/`, e.g. `runs/2026-11-27T23-59-01-search`. A non-empty directory is never
/// written into unless it is being resumed, so one run cannot silently mix with another.
public struct RunDirectory: Sendable, Equatable {
    /// The standard files of a run.
    public enum File: String, Sendable, CaseIterable {
        case config = "config.json"
        case genotype = "genotype.json"
        case architectureSVG = "architecture.svg"
        case architectureDOT = "architecture.dot"
        case metrics = "metrics.jsonl"
        case summaryMarkdown = "summary.md"
        case summaryJSON = "summary.json"
        case checkpoints = "checkpoints"
    }

    /// Why a run directory cannot be used; each says what to do instead.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notEmpty(String)
        case notADirectory(String)
        case resumeMissing(String)
        case conflictingOutAndResume(out: String, resume: String)
        case cannotCreate(String, reason: String)

        public var description: String {
            switch self {
            case .notEmpty(let path):
                "\(path) already exists and is not empty; pass --resume \(path) to continue that run, or choose another --out"
            case .notADirectory(let path): "\(path) exists and is not a directory; choose another --out"
            case .resumeMissing(let path): "cannot resume \(path): no such directory"
            case .conflictingOutAndResume(let out, let resume):
                "--out \(out) and --resume \(resume) name different directories; a resumed run writes into its own directory"
            case .cannotCreate(let path, let reason): "cannot create run directory \(path): \(reason)"
            }
        }
    }

    public let url: URL
    /// Whether this run continues an earlier one in the same directory.
    public let isResumed: Bool

    /// Opens or creates the run directory; see the type's description for the rules.
    public static func prepare(
        out: URL?, resume: URL?, runsRoot: URL = URL(fileURLWithPath: "runs"), label: String = "run",
        now: Date = Date(), timeZone: TimeZone = .current
    ) throws -> RunDirectory {
        let manager = FileManager.default
        if let resume {
            if let out, out.standardizedFileURL.path != resume.standardizedFileURL.path {
                throw Failure.conflictingOutAndResume(out: out.path, resume: resume.path)
            }
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: resume.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw Failure.resumeMissing(resume.path)
            }
            return try RunDirectory(url: resume, isResumed: true).withStandardFolders()
        }
        if let out {
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: out.path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { throw Failure.notADirectory(out.path) }
                let contents = (try? manager.contentsOfDirectory(atPath: out.path)) ?? []
                guard contents.isEmpty else { throw Failure.notEmpty(out.path) }
            }
            return try RunDirectory(url: out, isResumed: false).withStandardFolders()
        }
        let base = timestampedName(now: now, timeZone: timeZone, label: label)
        // Two runs started in the same second get -2, -3, ... rather than sharing a folder.
        var candidate = runsRoot.appendingPathComponent(base, isDirectory: true)
        var suffix = 2
        while manager.fileExists(atPath: candidate.path) {
            candidate = runsRoot.appendingPathComponent("\(base)-\(suffix)", isDirectory: true)
            suffix += 1
        }
        return try RunDirectory(url: candidate, isResumed: false).withStandardFolders()
    }

    /// `2026-11-27T23-59-01-label`: sortable, and free of colons, which some file systems refuse.
    public static func timestampedName(now: Date, timeZone: TimeZone, label: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        return String(
            format: "%04d-%02d-%02dT%02d-%02d-%02d-%@", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0,
            c.minute ?? 0, c.second ?? 0, label)
    }

    /// Where the standard `file` of this run lives.
    public func url(for file: File) -> URL {
        url.appendingPathComponent(file.rawValue, isDirectory: file == .checkpoints)
    }

    /// A checkpoint file inside `checkpoints/`, e.g. `checkpoint("epoch-0010.safetensors")`.
    public func checkpoint(_ name: String) -> URL {
        url(for: .checkpoints).appendingPathComponent(name)
    }

    /// Any other file in the run directory (plots, extra tables).
    public func file(_ name: String) -> URL {
        url.appendingPathComponent(name)
    }

    private func withStandardFolders() throws -> RunDirectory {
        do {
            try FileManager.default.createDirectory(at: url(for: .checkpoints), withIntermediateDirectories: true)
        } catch {
            throw Failure.cannotCreate(url.path, reason: error.localizedDescription)
        }
        return self
    }
}
