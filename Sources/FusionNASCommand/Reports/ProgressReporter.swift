import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reports a long job's progress: a redrawn bar with rate and ETA on a terminal, plain lines at
/// most every ``interval`` seconds otherwise (logs and CI should not fill with carriage returns).
///
/// ```swift
/// let progress = ProgressReporter(verbosity: try Verbosity(options))
/// progress.start("search", total: epochs * batches)
/// for ... { progress.advance(status: "loss 0.41") }
/// progress.milestone("epoch 3/50  loss 0.41  val 0.44")   // always its own line
/// progress.finish("search done in 2m 10s")
/// ```
/// Not thread-safe: report from the training loop's thread.
public final class ProgressReporter {
    /// How progress is drawn.
    public enum Style: Sendable {
        /// One line redrawn in place with `\r`.
        case terminal
        /// Separate lines, throttled.
        case lines
    }

    public let verbosity: Verbosity
    public let style: Style
    /// Minimum seconds between plain progress lines.
    public let interval: Double
    private let write: (String) -> Void
    private let clock: () -> Double

    private var title = ""
    private var total = 0
    private var completed = 0
    private var status = ""
    private var startTime = 0.0
    private var lastDrawTime = -Double.infinity
    private var barVisible = false

    /// - Parameters:
    ///   - style: nil chooses `.terminal` when standard error is a terminal.
    ///   - write: where text goes; standard error by default so standard output stays clean for results.
    ///   - clock: seconds from any fixed origin; tests pass a fake.
    public init(
        verbosity: Verbosity = .normal, style: Style? = nil, interval: Double = 10,
        write: @escaping (String) -> Void = { writeAll($0, to: STDERR_FILENO) },
        clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }
    ) {
        self.verbosity = verbosity
        self.style = style ?? (isatty(STDERR_FILENO) == 1 ? .terminal : .lines)
        self.interval = interval
        self.write = write
        self.clock = clock
    }

    /// Begins a task of `total` steps.
    public func start(_ title: String, total: Int) {
        self.title = title
        self.total = max(total, 0)
        completed = 0
        status = ""
        startTime = clock()
        lastDrawTime = -Double.infinity
        draw(force: true)
    }

    /// Marks `steps` more steps done; `status` (a running loss) is shown beside the bar.
    public func advance(by steps: Int = 1, status: String? = nil) {
        update(completed: completed + steps, status: status)
    }

    /// Sets the number of completed steps.
    public func update(completed: Int, status: String? = nil) {
        self.completed = min(max(completed, 0), total)
        if let status { self.status = status }
        draw(force: false)
    }

    /// A line that always appears (unless quiet), such as an epoch summary; the bar is redrawn below it.
    public func milestone(_ line: String) {
        guard verbosity >= .normal else { return }
        printLine(line)
        lastDrawTime = clock()
    }

    /// Ends the task; prints `summary` if given.
    public func finish(_ summary: String? = nil) {
        if barVisible {
            write("\r\u{1B}[K")
            barVisible = false
        }
        total = 0
        if let summary, verbosity >= .normal { write(summary + "\n") }
    }

    /// An informational line (not shown when quiet).
    public func info(_ message: String) {
        if verbosity >= .normal { printLine(message) }
    }

    /// A detail line, shown only when verbose.
    public func detail(_ message: String) {
        if verbosity >= .verbose { printLine(message) }
    }

    /// A warning, shown at every level.
    public func warn(_ message: String) {
        printLine("warning: " + message)
    }

    /// `[##########----------]  50/100  12.5 it/s  ETA 0:04  loss 0.41`.
    public var progressLine: String {
        let elapsed = max(clock() - startTime, 0)
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        var parts: [String] = []
        if style == .terminal {
            let width = 24
            let filled = total > 0 ? width * completed / total : 0
            parts.append("[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]")
            parts.append("\(completed)/\(total)")
        } else {
            let percent = total > 0 ? 100 * completed / total : 0
            parts.append("\(title): \(completed)/\(total) (\(percent)%)")
        }
        // A rate over the first instant is noise (thousands of it/s); wait for half a second of work.
        if rate > 0 && elapsed >= 0.5 {
            parts.append(String(format: rate >= 10 ? "%.0f it/s" : "%.2f it/s", rate))
            parts.append("ETA " + Self.duration(Double(total - completed) / rate))
        }
        if !status.isEmpty { parts.append(status) }
        return (style == .terminal && !title.isEmpty ? title + " " : "") + parts.joined(separator: "  ")
    }

    /// `0:04`, `12:30`, `1:02:03`.
    public static func duration(_ seconds: Double) -> String {
        let whole = seconds.isFinite ? max(Int(seconds.rounded()), 0) : 0
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        return hours > 0
            ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }

    private func draw(force: Bool) {
        guard verbosity >= .normal, total > 0 else { return }
        let now = clock()
        switch style {
        case .terminal:
            // About ten redraws a second keep the bar lively without flooding a slow terminal.
            guard force || completed == total || now - lastDrawTime >= 0.1 else { return }
            write("\r\u{1B}[K" + progressLine)
            barVisible = true
        case .lines:
            guard completed == total || now - lastDrawTime >= interval, completed > 0 else { return }
            write(progressLine + "\n")
        }
        lastDrawTime = now
    }

    private func printLine(_ line: String) {
        if barVisible { write("\r\u{1B}[K") }
        write(line + "\n")
        if barVisible { write(progressLine) }
    }
}
