import Foundation
import Testing
import Tensors

/// The kernel the `fusion-nas` command runs on out of the box, in a child process that sees the
/// environment a user has.
@Suite struct BLASCommandTests {
    static var userSetCoretype: Bool { ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] != nil }

    static var cpuHasAVX2: Bool {
        guard let cpu = BLASKernel.cpuFeatures() else { return false }
        return cpu.flags.isSuperset(of: ["avx2", "fma"])
    }

    @Test func blasCommandReportsTheKernelAndEveryProductIsCorrect() throws {
        let directory = try FusionNASBinary.temporaryDirectory("blas")
        let (status, output) = try FusionNASBinary.run(["blas", "--threads", "3"], in: directory)
        #expect(status == 0, "\(output)")
        #expect(output.contains("all 10 products correct"), "\(output)")
        #expect(output.hasPrefix("kernel: "), "\(output)")
    }

    /// Where the user left OPENBLAS_CORETYPE unset (this test never changes it), a CPU with AVX2
    /// must not run OpenBLAS's generic or pre-AVX2 kernels.
    @Test(.enabled(if: cpuHasAVX2 && !userSetCoretype, "needs a CPU with AVX2 and FMA, and OPENBLAS_CORETYPE unset"))
    func outOfTheBoxTheKernelIsNotAGenericFallback() throws {
        let directory = try FusionNASBinary.temporaryDirectory("blas-kernel")
        let (status, output) = try FusionNASBinary.run(["bench", "mlp", "--iters", "1", "--warmup", "0", "--threads", "1"], in: directory)
        try #require(status == 0, "\(output)")
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("{") })
        let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let kernel = try #require(record["blas_kernel"] as? String)
        #expect(BLASKernel.rank(kernel) >= 2, "OpenBLAS runs the \(kernel) kernel on a CPU with AVX2: \(output)")
        let cpu = try #require(BLASKernel.cpuFeatures())
        #expect(kernel == BLASKernel.strongest(flags: cpu.flags, vendor: cpu.vendor) || record["blas_kernel_chosen_by"] as? String == "openblas")
    }

    /// The benchmarks' trained parameters are the same bits at 1, 2 and 3 threads, on the kernel the
    /// command runs on out of the box.
    @Test func benchChecksumsDoNotDependOnTheThreadCount() throws {
        let directory = try FusionNASBinary.temporaryDirectory("bench-threads")
        var checksums: [String: Set<String>] = [:]
        for threads in ["1", "2", "3"] {
            let (status, output) = try FusionNASBinary.run(
                ["bench", "all", "--iters", "1", "--warmup", "0", "--threads", threads], in: directory)
            try #require(status == 0, "\(output)")
            for line in output.split(separator: "\n") where line.hasPrefix("{") {
                let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                checksums[record["workload"] as! String, default: []].insert(record["checksum"] as! String)
            }
        }
        #expect(checksums.keys.sorted() == ["bmnas", "mlp"])
        for (workload, values) in checksums { #expect(values.count == 1, "\(workload): \(values.sorted())") }
    }
}
