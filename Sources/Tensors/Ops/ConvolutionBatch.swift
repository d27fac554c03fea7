/// How a convolution spreads its batch over the threads. The encoders' convolutions are small
/// (a few thousand multiply-adds per output channel and sample), too small for their products to be
/// cut into blocks, so the samples themselves are what the threads share.

/// The per-sample loop of a convolution's forward pass and input gradient, whose samples are
/// independent: spread over the threads, each with its own column buffer, when one sample's
/// product is too small to be cut into blocks (the threads would otherwise wait during the
/// encoders' small convolutions); otherwise one sample after another, each product on every
/// thread. Every sample is computed the same way either way, so results do not change.
struct SampleLoop {
    let count: Int
    /// Floats of column buffer a sample needs (0 for pointwise kernels, which need none).
    let scratch: Int
    let spread: Bool

    init(count: Int, scratch: Int, product: (m: Int, n: Int, k: Int)) {
        self.count = count
        self.scratch = scratch
        spread = count > 1 && GEMMSplit.parts(m: product.m, n: product.n, k: product.k) == 1
    }

    func run(_ body: (Int, UnsafeMutablePointer<Float>?) -> Void) {
        if !spread {
            let buffer = scratch > 0 ? TensorStorage(count: scratch) : nil
            for sample in 0..<count { body(sample, buffer?.pointer) }
            return
        }
        Threading.parallelFor(count, minimumPerThread: 1) { s, e in
            let buffer = scratch > 0 ? TensorStorage(count: scratch) : nil
            for sample in s..<e { body(sample, buffer?.pointer) }
        }
    }
}

/// How a convolution's weight gradient cuts the batch into groups of consecutive samples, each
/// summed on one thread: up to 16 groups when one sample's product is too small to be cut into
/// blocks, one group otherwise. The grouping depends on the shapes only.
struct SampleGroups {
    let count: Int
    private let per: Int
    private let samples: Int

    init(count samples: Int, product: (m: Int, n: Int, k: Int)) {
        self.samples = samples
        let small = GEMMSplit.parts(m: product.m, n: product.n, k: product.k) == 1
        let wanted = Swift.max(1, small ? Swift.min(samples, GEMMSplit.maximumParts) : 1)
        per = Swift.max(1, (samples + wanted - 1) / wanted)
        count = samples == 0 ? 0 : (samples + per - 1) / per
    }

    func samples(of group: Int) -> Range<Int> { group * per..<Swift.min(samples, (group + 1) * per) }
}
