import CBLAS
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Which of OpenBLAS's kernel families runs the products, and how to get the fastest one the CPU
/// supports.
///
/// OpenBLAS builds with `DYNAMIC_ARCH` (Debian's among them) choose a kernel family once, when the
/// library is loaded, from the CPU's identity. A release that predates the CPU does not recognise
/// it and falls back to a generic kernel: Debian 12's OpenBLAS 0.3.21 picks `Prescott` (SSE3) on an
/// Intel Xeon of family 6 model 207 (Emerald Rapids), three to five times slower than the AVX-512
/// kernels the CPU runs perfectly well. The only way to choose another family is the environment
/// variable `OPENBLAS_CORETYPE`, read once at load time, so a process that finds itself on a weaker
/// kernel than its CPU supports must start again with the variable set:
/// ``useFastestKernel(arguments:)``.
///
/// A value the user set is never overridden: people set it because a kernel computes wrong results
/// or crashes on their CPU.
public enum BLASKernel {
    /// The kernel family OpenBLAS is using in this process, as `openblas_get_corename()` names it
    /// (for example `"Prescott"`, `"Haswell"`, `"SkylakeX"`, `"Cooperlake"`, `"Zen"`).
    public static var current: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Set in the environment of a process that ``useFastestKernel(arguments:)`` restarted, so that
    /// it can say the kernel was chosen for the user, and never restarts twice.
    public static let restartMarker = "FUSIONNAS_OPENBLAS_CORETYPE_CHOSEN"

    /// Whether ``useFastestKernel(arguments:)`` restarted this process with a stronger kernel.
    public static var wasChosenForUser: Bool {
        ProcessInfo.processInfo.environment[restartMarker] != nil
    }

    /// The strongest kernel family OpenBLAS 0.3.21 offers for a CPU with these features, or nil for
    /// a CPU without AVX2 and FMA (whose families OpenBLAS recognises on its own).
    ///
    /// - Parameters:
    ///   - flags: the CPU feature flags as Linux lists them in `/proc/cpuinfo` (`avx512f`, `avx2`, …),
    ///     which, unlike raw CPUID, leave out features the operating system has not enabled.
    ///   - vendor: `vendor_id` from `/proc/cpuinfo` (`GenuineIntel`, `AuthenticAMD`, …).
    public static func strongest(flags: Set<String>, vendor: String) -> String? {
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) {
            return flags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
        }
        if flags.isSuperset(of: ["avx2", "fma"]) {
            return vendor == "AuthenticAMD" || vendor == "HygonGenuine" ? "Zen" : "Haswell"
        }
        return nil
    }

    /// How strong a kernel family is (0 to 4): the widest vector instructions it uses. Families that are not
    /// listed rank below every listed one (OpenBLAS's generic and pre-AVX2 kernels).
    public static func rank(_ family: String) -> Int {
        switch family.lowercased() {
        case "cooperlake", "sapphirerapids": return 4
        case "skylakex": return 3
        case "haswell", "zen": return 2
        case "sandybridge", "bulldozer", "piledriver", "steamroller", "excavator": return 1
        default: return 0
        }
    }

    /// The kernel family to ask for when OpenBLAS chose `current` on a CPU with these features and
    /// the user left `OPENBLAS_CORETYPE` unset, or nil when `current` is already as strong.
    public static func replacement(for current: String, flags: Set<String>, vendor: String) -> String? {
        guard let strongest = strongest(flags: flags, vendor: vendor), rank(strongest) > rank(current) else {
            return nil
        }
        return strongest
    }

    /// This machine's CPU feature flags and vendor from `/proc/cpuinfo`, or nil where it cannot be read.
    public static func cpuFeatures() -> (flags: Set<String>, vendor: String)? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        var flags: Set<String>?
        var vendor = ""
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            if key == "vendor_id", vendor.isEmpty {
                vendor = parts[1].trimmingCharacters(in: .whitespaces)
            } else if key == "flags", flags == nil {
                flags = Set(parts[1].split(separator: " ").map(String.init))
            }
            if flags != nil && !vendor.isEmpty { break }
        }
        return flags.map { ($0, vendor) }
    }

    /// The kernel family this process should restart with, or nil when it should carry on: the user
    /// set `OPENBLAS_CORETYPE`, this process was already restarted, the CPU cannot be read, or
    /// OpenBLAS already chose the strongest family the CPU supports.
    public static func kernelToRestartWith(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String?
    {
        guard environment["OPENBLAS_CORETYPE"] == nil, environment[restartMarker] == nil,
            let cpu = cpuFeatures()
        else { return nil }
        return replacement(for: current, flags: cpu.flags, vendor: cpu.vendor)
    }

    /// Restarts the calling process with `OPENBLAS_CORETYPE` set to the strongest kernel family its
    /// CPU supports, when OpenBLAS fell back to a weaker one and the user did not set the variable;
    /// otherwise returns at once.
    ///
    /// Call it first thing in `main`, before any other work: on a restart the process image is
    /// replaced (same process id, arguments, open files and environment plus the variable), so
    /// nothing done before the call survives. The `fusion-nas` command calls it; a program built on
    /// the library calls it the same way to get the same speed. If the restart fails the process
    /// carries on with the kernel it has.
    ///
    /// - Parameter arguments: the process's arguments, program name first.
    public static func useFastestKernel(arguments: [String] = CommandLine.arguments) {
        guard let family = kernelToRestartWith() else { return }
        setenv("OPENBLAS_CORETYPE", family, 1)
        setenv(restartMarker, "1", 1)
        let cArguments = arguments.map { strdup($0) } + [nil]
        // /proc/self/exe is this very binary even when argv[0] is a relative name or was changed.
        execv("/proc/self/exe", cArguments)
        // Only reached when exec failed: stay on the kernel we have, and leave the environment as it was.
        for argument in cArguments { free(argument) }
        unsetenv("OPENBLAS_CORETYPE")
        unsetenv(restartMarker)
    }
}

extension BLASKernel {
    /// Who chose the kernel family in use.
    public enum Chooser: String, Sendable {
        /// OpenBLAS, from the CPU's identity.
        case openblas
        /// ``BLASKernel/useFastestKernel(arguments:)``, because OpenBLAS's choice was weaker than the CPU.
        case fusionNAS = "fusion-nas"
        /// The user, through `OPENBLAS_CORETYPE`.
        case user
    }

    /// Who chose the kernel family in use in this process.
    public static var chooser: Chooser {
        if wasChosenForUser { return .fusionNAS }
        return ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil ? .openblas : .user
    }

    /// One line for logs: the family and who chose it, e.g. `Cooperlake (chosen by fusion-nas)`.
    public static var description: String { "\(current) (chosen by \(chooser.rawValue))" }
}
