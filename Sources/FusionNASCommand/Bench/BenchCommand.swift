#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import Tensors

/// `fusion-nas bench WORKLOAD [--threads N] [--iters N] [--warmup N]`: times the reference
/// workloads of Benchmarks/REFERENCE.md (`mlp`, `bmnas`, or `all`) and prints one JSON line
/// per workload, comparable line for line with the PyTorch and JAX peers.
///
/// Besides the peers' keys (`workload`, `threads`, `iters`, `median_ms`, `min_ms`, `max_ms`) each line
/// carries `gflops` (the workload's nominal GFLOP / median seconds), `sgemm_gflops` (a 2048³
/// `cblas_sgemm` timed in the same run), their ratio `fraction_of_sgemm`, OpenBLAS's kernel family
/// (`blas_kernel`) and who chose it (`blas_kernel_chosen_by`: `openblas`, `fusion-nas` or `user`),
/// the user's OpenBLAS environment (benchmarks are meant to run with `OPENBLAS_CORETYPE` unset, as
/// users run them), the last loss, a checksum of the
/// trained parameters' bits (equal between runs with the same seed and thread count) and the
/// process's peak resident set so far.
public enum BenchCommand {
    static let workloads = ["mlp", "bmnas"]

    public static let command = Command(
        name: "bench",
        summary: "Time the reference workloads (mlp, bmnas) and print one JSON line each.",
        discussion: """
            Implements Benchmarks/REFERENCE.md exactly: mlp is one supervised step of a \
            784-1024-1024-10 MLP (batch 256, Adam); bmnas is one first-order search iteration \
            with BM-NAS's MM-IMDB shapes (weight step, then architecture step) in the default fusionnas \
            space. Build in release mode and run \
            with `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE`, as a user runs it: the line's \
            blas_kernel then says which OpenBLAS kernel family ran and blas_kernel_chosen_by who chose it.
            """,
        options: [
            OptionSpec(
                name: "threads", kind: .int(minimum: 1), defaultDescription: "all cores",
                help: "Threads for the parallel loops and the blocks products are cut into."),
            OptionSpec(name: "iters", kind: .int(minimum: 1), default: .int(20), help: "Timed iterations."),
            OptionSpec(name: "warmup", kind: .int(minimum: 0), default: .int(3), help: "Untimed iterations first."),
            OptionSpec(name: "seed", kind: .int(minimum: 0), default: .int(0), help: "Seed of weights and data."),
        ],
        positionals: [PositionalSpec(name: "WORKLOAD", help: "mlp, bmnas or all.")]
    ) { options in
        let requested = options.positionals.first ?? "all"
        guard requested == "all" || workloads.contains(requested) else {
            throw UsageError("unknown workload '\(requested)'; expected one of mlp, bmnas, all")
        }
        let threads = options.optionalInt("threads") ?? ProcessInfo.processInfo.activeProcessorCount
        Threading.setThreads(threads)
        let iterations = options.int("iters"), warmup = options.int("warmup")
        let seed = UInt64(options.int("seed"))
        let peak = SGEMMPeak.measure()
        for name in requested == "all" ? workloads : [requested] {
            let workload: any BenchWorkload = name == "mlp" ? MLPWorkload(seed: seed) : try BMNASWorkload(seed: seed)
            let timing = BenchTiming.measure(iterations: iterations, warmup: warmup) { workload.iterate() }
            let nominal = type(of: workload).nominalGFLOP
            let gflops = nominal / (timing.median / 1e3)
            let environment = ProcessInfo.processInfo.environment
            let line: JSONValue = .object([
                "workload": .string(name), "threads": .int(threads), "iters": .int(iterations),
                "warmup": .int(warmup),
                "median_ms": .double(timing.median), "min_ms": .double(timing.minimum),
                "max_ms": .double(timing.maximum),
                "nominal_gflop": .double(nominal), "gflops": .double(gflops), "sgemm_gflops": .double(peak),
                "fraction_of_sgemm": .double(gflops / peak),
                "blas_kernel": .string(BLASKernel.current),
                "blas_kernel_chosen_by": .string(BLASKernel.chooser.rawValue),
                // The user's own setting: null when fusion-nas set it (see blas_kernel_chosen_by).
                "openblas_coretype": BLASKernel.wasChosenForUser
                    ? .null : environment["OPENBLAS_CORETYPE"].map(JSONValue.string) ?? .null,
                "openblas_l2_size": environment["OPENBLAS_L2_SIZE"].map(JSONValue.string) ?? .null,
                "last_loss": .double(Double(workload.lastLoss)), "checksum": .string(workload.checksum),
                "peak_rss_mb": .double(peakResidentMegabytes()),
            ])
            // Unbuffered, so a line appears as soon as its workload finishes.
            writeAll(line.rendered(pretty: false) + "\n", to: STDOUT_FILENO)
        }
    }

    /// The process's maximum resident set size so far, in MiB (Linux reports kilobytes).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_maxrss) / 1024
    }
}
