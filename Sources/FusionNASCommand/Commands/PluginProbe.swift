import Foundation
import FusionNAS

#if canImport(Glibc)
    import Glibc
#endif

/// Loads a plugin in a child process before this process loads it, so that a plugin that crashes
/// while loading (a segfault or `abort` in a constructor, `init` or `register_components`, or an
/// `exit` call) is reported by name instead of ending the tool, and hours of work after it.
///
/// The child is this executable run as `fusion-nas plugins probe PATH` (an action left out of the
/// help). It announces each step that runs the plugin's code (``PluginLoadStep``) in a report file
/// named by ``reportVariable`` — a file rather than its output, which the plugin may write into —
/// and ends with the loaded plugin or the refusal. The parent reads the report after the child
/// ends: a child killed by a signal, or one that ended without a last line, crashed in the last
/// step it announced.
enum PluginProbe {
    /// The environment variable naming the child's report file.
    static let reportVariable = "FUSIONNAS_PLUGIN_PROBE_REPORT"

    /// This tool's executable, set by ``FusionNASCommand/main()`` before any other work (so read
    /// only after); nil when the commands run inside another program (the in-process tests), where
    /// there is no executable to re-run and plugins are loaded without a probe.
    nonisolated(unsafe) static var executable: URL?

    /// Loads `path` in a child process and returns the loaded plugin's one-line description.
    ///
    /// - Throws: ``ComponentError`` with the loader's refusal, or naming the plugin, the step and
    ///   the signal or exit status when the child crashed.
    static func check(path: String, executable: URL) throws -> String {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("fusionnas-probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let report = work.appendingPathComponent("report"), log = work.appendingPathComponent("log")
        _ = FileManager.default.createFile(atPath: report.path, contents: nil)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["plugins", "probe", path]
        var environment = ProcessInfo.processInfo.environment
        environment[reportVariable] = report.path
        // A crash is the expected outcome of a broken plugin: no backtrace (seconds of symbolication).
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()

        let lines = ((try? String(contentsOf: report, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        if let last = lines.last {
            if last.hasPrefix("loaded\t") { return String(last.dropFirst("loaded\t".count)) }
            if last.hasPrefix("refused\t") { throw ComponentError(String(last.dropFirst("refused\t".count))) }
        }
        let step = lines.reversed().lazy.compactMap(Self.step(from:)).first
        let subject: String
        if case .initialising(let name, let version)? = step {
            subject = "plugin '\(name)' \(version) (\(path))"
        } else if case .registering(let name, let version)? = step {
            subject = "plugin '\(name)' \(version) (\(path))"
        } else {
            subject = "plugin library '\(path)'"
        }
        let place = step.map { ", \($0.place)" } ?? ""
        let how: String
        if process.terminationReason == .uncaughtSignal {
            let signal = process.terminationStatus
            how = "crashed while loading\(place): signal \(signal) (\(String(cString: strsignal(signal))))"
        } else {
            how = "ended the process while loading\(place), with exit status \(process.terminationStatus)"
        }
        let said = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(3)
            .map { PluginLoader.printable(String($0)) }.joined(separator: " / ")
        throw ComponentError(
            "\(subject) \(how)\(said.isEmpty ? "" : " (it printed: \(said))"); it was checked in a separate process, so nothing else was affected. Fix or rebuild the plugin, or leave it out of --plugin, the config's plugins list and \(PluginLoader.pathEnvironmentVariable)")
    }

    /// The child's side: loads `path` into a registry of the built-in components, announcing each
    /// step in the report file, and records the result as its last line.
    static func runChild(path: String) throws {
        guard let reportPath = ProcessInfo.processInfo.environment[reportVariable] else {
            throw UsageError("'plugins probe' is run by 'plugins check' and before loading plugins; use: fusion-nas plugins check PATH")
        }
        // A crash here is reported by the parent; a core file of it would only fill the disk.
        var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &noCore)
        let report = open(reportPath, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard report >= 0 else { throw UsageError("cannot write the probe report \(reportPath)") }
        defer { close(report) }
        // Written unbuffered: each line must be in the file before the plugin's next step can crash.
        func say(_ line: String) { writeAll(line.replacingOccurrences(of: "\n", with: " ") + "\n", to: report) }
        do {
            let registry = try Session.builtInRegistry()
            let plugin = try PluginLoader.load(path: path, into: registry) { step in
                switch step {
                case .opening: say("step\topening")
                case .callingEntry: say("step\tentry")
                case .initialising(let name, let version): say("step\tinit\t\(name)\t\(version)")
                case .registering(let name, let version): say("step\tregister\t\(name)\t\(version)")
                }
            }
            say("loaded\t\(plugin)")
        } catch {
            say("refused\t\(error)")
        }
    }

    /// The step a report line announces.
    static func step(from line: String) -> PluginLoadStep? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.first == "step", fields.count >= 2 else { return nil }
        switch fields[1] {
        case "opening": return .opening
        case "entry": return .callingEntry
        case "init" where fields.count == 4: return .initialising(name: fields[2], version: fields[3])
        case "register" where fields.count == 4: return .registering(name: fields[2], version: fields[3])
        default: return nil
        }
    }
}
