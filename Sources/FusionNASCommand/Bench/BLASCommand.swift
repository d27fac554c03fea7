#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import Tensors

/// `fusion-nas blas`: says which OpenBLAS kernel family this process runs on and who chose it,
/// and checks its products against a double-precision reference; exits 1 if a product is wrong.
public enum BLASCommand {
    public static let command = Command(
        name: "blas",
        summary: "Show OpenBLAS's kernel family and check its products against a double-precision reference.",
        discussion: """
            OpenBLAS picks a kernel family when it is loaded; a release older than the CPU falls back \
            to a generic, several times slower one. Unless OPENBLAS_CORETYPE is set, fusion-nas \
            restarts itself on the strongest family the CPU supports (AVX-512 -> SkylakeX, or \
            Cooperlake with AVX512_BF16; AVX2 + FMA -> Haswell, or Zen on AMD). This command prints \
            the family in use, then checks SGEMM in all four transpose combinations and SGEMV at \
            odd sizes; it exits with 1 if any product is wrong (then set OPENBLAS_CORETYPE to a \
            family that works on this CPU, e.g. Haswell).
            """,
        options: [
            OptionSpec(
                name: "threads", kind: .int(minimum: 1), defaultDescription: "all cores",
                help: "Threads the products are split over.")
        ]
    ) { options in
        Threading.setThreads(options.optionalInt("threads") ?? ProcessInfo.processInfo.activeProcessorCount)
        var lines = ["kernel: \(BLASKernel.description)"]
        if let cpu = BLASKernel.cpuFeatures() {
            lines.append("strongest for this CPU: \(BLASKernel.strongest(flags: cpu.flags, vendor: cpu.vendor) ?? "none above OpenBLAS's own choice")")
        }
        let results = BLASSelfCheck.run()
        lines += results.map(\.description)
        let wrong = results.filter { !$0.passed }.count
        lines.append(wrong == 0 ? "all \(results.count) products correct" : "\(wrong) of \(results.count) products WRONG")
        writeAll(lines.joined(separator: "\n") + "\n", to: STDOUT_FILENO)
        if wrong > 0 { throw ExitCode(1) }
    }
}
