import Foundation
import Tensors

/// The machine's measured SGEMM rate: a large square `cblas_sgemm` timed in the same process as
/// the workloads, so that each workload's GFLOP/s can be read as a fraction of the physical limit
/// under the same OpenBLAS kernels, thread count and load.
enum SGEMMPeak {
    /// GFLOP/s of the median of `repeats` timed products of two `size` x `size` matrices.
    static func measure(size: Int = 2048, repeats: Int = 7) -> Double {
        var rng = SeededGenerator(seed: 42)
        let a = Tensor.randn([size, size], rng: &rng), b = Tensor.randn([size, size], rng: &rng)
        let c = Tensor(uninitializedShape: [size, size])
        let timing = BenchTiming.measure(iterations: repeats, warmup: 2) {
            sgemm(transA: false, transB: false, m: size, n: size, k: size, a: a.data, b: b.data, c: c.data)
        }
        let flops = 2 * Double(size) * Double(size) * Double(size)
        return flops / (timing.median / 1e3) / 1e9
    }
}
