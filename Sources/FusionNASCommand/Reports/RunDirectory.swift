import FileChecks
import Foundation

/// The folder holding everything one run produces, with fixed names for its standard files.
///
/// Chosen by ``plan(out:resume:runsRoot:label:now:timeZone:)``: `--resume DIR` reuses an existing
/// run, `--out DIR` creates (or takes an empty) directory, and otherwise a new timestamped folder
/// appears under `runs/`, e.g. `runs/2026-11-27T23-59-01-search`. A non-empty directory is never
/// written into unless it is being resumed, so one run cannot silently mix with another.
///
/// Planning checks without creating anything; ``create()`` makes the folders once the command's
/// inputs have been checked, so a refused command leaves no directory that would block its
/// corrected rerun.
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
        case inUse(String, holder: Int32?)

        public var description: String {
            switch self {
            case .notEmpty(let path):
                "\(path) already exists and is not empty; pass --resume \(path) to continue that run, or choose another --out"
            case .notADirectory(let path): "\(path) exists and is not a directory; choose another --out"
            case .resumeMissing(let path): "cannot resume \(path): no such directory"
            case .conflictingOutAndResume(let out, let resume):
                "--out \(out) and --resume \(resume) name different directories; a resumed run writes into its own directory"
            case .cannotCreate(let path, let reason): "cannot create run directory \(path): \(reason)"
            case .inUse(let path, let holder):
                "\(path) is in use by \(holder.map { "process \($0)" } ?? "another process") (it holds \(path)/\(RunLock.fileName)); wait for it to finish, or choose another --out"
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
        try plan(out: out, resume: resume, runsRoot: runsRoot, label: label, now: now, timeZone: timeZone).create()
    }

    /// The run directory the options name, checked but not created.
    public static func plan(
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
            return RunDirectory(url: resume, isResumed: true)
        }
        if let out {
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: out.path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { throw Failure.notADirectory(out.path) }
                try requireUnused(out)
            }
            return RunDirectory(url: out, isResumed: false)
        }
        let base = timestampedName(now: now, timeZone: timeZone, label: label)
        // Two runs started in the same second get -2, -3, ... rather than sharing a folder.
        var candidate = runsRoot.appendingPathComponent(base, isDirectory: true)
        var suffix = 2
        while manager.fileExists(atPath: candidate.path) {
            candidate = runsRoot.appendingPathComponent("\(base)-\(suffix)", isDirectory: true)
            suffix += 1
        }
        return RunDirectory(url: candidate, isResumed: false)
    }

    /// Throws unless `directory` holds nothing but an unheld lock file and empty folders: a run in
    /// progress is named with its process, a finished or stopped one is told to be resumed.
    static func requireUnused(_ directory: URL) throws {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        if contents.contains(RunLock.fileName), let holder = RunLock.holder(of: directory) {
            throw Failure.inUse(directory.path, holder: holder == 0 ? nil : holder)
        }
        guard contents.allSatisfy({ $0 == RunLock.fileName || $0 == File.checkpoints.rawValue }),
            RunDirectory.holdsNothingOfValue(directory)
        else { throw Failure.notEmpty(directory.path) }
    }

    /// Throws `notEmpty` unless `directory` holds only what a run writes before its first result
    /// (asked by the process that holds the lock, to catch a run started in it since the plan).
    static func requireUnusedByOthers(_ directory: URL) throws {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        guard contents.allSatisfy({ $0 == RunLock.fileName || $0 == File.checkpoints.rawValue }), holdsNothingOfValue(directory) else {
            throw Failure.notEmpty(directory.path)
        }
    }

    /// Removes the hidden temporary files (`.NAME.PID.N.tmp`) that an atomic write killed midway
    /// leaves; call it only while holding the run's lock, when no other writer can be running.
    public func removeStaleTemporaryFiles() {
        guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil) else { return }
        for case let item as URL in walker {
            let name = item.lastPathComponent
            if name.hasPrefix(".") && name.hasSuffix(".tmp") { try? FileManager.default.removeItem(at: item) }
        }
    }

    /// Creates the directory and its standard folders.
    public func create() throws -> RunDirectory { try withStandardFolders() }

    /// Whether `directory` holds only what a run writes before any result: the saved configuration,
    /// the metrics log, the lock, empty folders. Such a directory is removed when its run fails, so
    /// that rerunning the corrected command with the same `--out` is not told to resume.
    public static func holdsNothingOfValue(_ directory: URL) -> Bool {
        let worthless: Set<String> = [File.config.rawValue, File.metrics.rawValue, RunLock.fileName, DataFingerprints.fileName]
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isDirectoryKey]) else { return false }
        for case let item as URL in walker {
            let isDirectory = (try? item.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
            if !isDirectory && !worthless.contains(item.lastPathComponent) { return false }
        }
        return true
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
            // Foundation's own reason is "The operation could not be completed" for most causes.
            throw Failure.cannotCreate(url.path, reason: WritableDirectory.problem(creating: url.path) ?? error.localizedDescription)
        }
        return self
    }
}
