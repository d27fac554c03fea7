import Foundation
import FusionNAS

/// Refuses work whose memory cannot fit on this machine before any of it is allocated.
///
/// Sizes come from options and file headers; multiplied unchecked they trap on overflow, and
/// allocated unchecked they end the process with the kernel's out-of-memory kill instead of a
/// message. The estimates here are lower bounds (one weight matrix, one activation, the data), so a
/// refusal is certain to be right; passing is no promise that the run fits.
public enum MemoryBudget {
    /// The machine's physical memory in bytes.
    public static var available: UInt64 { ProcessInfo.processInfo.physicalMemory }

    /// The product of `factors`, or nil when it does not fit in an Int.
    public static func product(_ factors: [Int]) -> Int? {
        factors.reduce(Int?(1)) { partial, n in
            guard let partial, n >= 0 else { return nil }
            let (result, overflow) = partial.multipliedReportingOverflow(by: n)
            return overflow ? nil : result
        }
    }

    /// `bytes` in GiB with one decimal.
    public static func gibibytes(_ bytes: Double) -> String { String(format: "%.1f GiB", bytes / 1_073_741_824) }

    /// Throws when `bytes` (nil: too large to count) exceeds the physical memory; `what` names the
    /// options or file responsible and `fix` says what to change.
    public static func require(_ bytes: Int?, for what: String, fix: String) throws {
        let have = Double(available)
        if let bytes, Double(bytes) <= have { return }
        let need = bytes.map { "at least \(gibibytes(Double($0))) of memory" } ?? "more memory than a 64-bit byte count can hold"
        throw ComponentError(.insufficientMemory, "\(what) needs \(need), but this machine has \(gibibytes(have)); \(fix)")
    }

    /// The fusion network of `configuration`: one C x C weight matrix and one batch of C x L feature
    /// maps (4-byte floats) are the least any primitive holds.
    public static func requireNetworkFits(_ configuration: PipelineConfiguration) throws {
        let c = configuration.channels, l = configuration.length, b = configuration.batchSize
        let weights = product([c, c, 4]), activations = product([b, c, l, 4])
        let bytes = weights.flatMap { w in activations.flatMap { a in { let (r, o) = w.addingReportingOverflow(a); return o ? nil : r }() } }
        try require(
            bytes, for: "--channels \(c) with --length \(l) and --batch-size \(b) (a \(c) x \(c) weight matrix and \(b) x \(c) x \(l) feature maps)",
            fix: "choose a smaller --channels, --length or --batch-size")
    }
}
