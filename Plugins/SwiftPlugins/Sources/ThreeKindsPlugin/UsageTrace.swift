import Foundation
import Synchronization

/// Says which of this plugin's components a process built and ran: with the environment variable
/// `FUSIONNAS_THREE_KINDS_TRACE` set to a file, each event (`encoder residual_mlp: encoded a
/// batch`, ...) is appended to it as one line, the first time it happens in the process.
///
/// A run's files name the components it was asked for; this shows the plugin's code was what
/// actually ran, which a name alone cannot (a component silently replaced by a built-in leaves the
/// names in place). Without the variable nothing is recorded and the cost is one load per call.
enum UsageTrace {
    static let variable = "FUSIONNAS_THREE_KINDS_TRACE"
    /// The file to append to, read once.
    static let path: String? = ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }

    final class Seen: Sendable {
        let events = Mutex(Set<String>())
    }
    static let seen = Seen()

    /// Appends `event` to the trace file if there is one and `event` is new in this process.
    static func record(_ event: String) {
        guard let path else { return }
        guard seen.events.withLock({ $0.insert(event).inserted }) else { return }
        // One write of a whole line in append mode, so lines of concurrent processes do not interleave.
        guard let file = fopen(path, "a") else { return }
        fputs(event + "\n", file)
        fclose(file)
    }
}
