import Foundation
import Tensors

/// Synthetic data shaped like BM-NAS's MM-IMDB inputs, generated batch by batch so that 100,000+
/// samples never need to be held in memory.
///
/// Each sample has 4 image levels of shape `[512, 16]` (modality `image`) and 2 text levels of shape
/// `[64, 16]` and `[128, 16]` (modality `text`), and 23 imbalanced multi-label outputs whose
/// prevalence falls geometrically from 45% (label 0) to 3% (label 22), roughly like MM-IMDB genres.
///
/// Sample `i` is a pure function of `(seed, i)`: a latent vector `z` of 8 standard normals decides
/// the labels (`w_k . z + 0.5 e > t_k`) and is written, scaled by 0.5, onto the first 64 channels of
/// every image level and the first 16 channels of every text level, over approximately normal noise
/// (Irwin-Hall, cheap enough to generate on the fly).
public struct MMIMDBShapedGenerator: Sendable {
    /// The per-sample shapes of the image levels.
    public static let imageLevelShapes = [[512, 16], [512, 16], [512, 16], [512, 16]]
    /// The per-sample shapes of the text levels.
    public static let textLevelShapes = [[64, 16], [128, 16]]
    /// The number of multi-label outputs.
    public static let labelCount = 23
    /// The largest sample count ``materialize()`` accepts (about 2.9 GB of features).
    public static let materializeLimit = 20_000
    static let latentSize = 8

    public let samples: Int
    public let seed: UInt64
    public let batchSize: Int
    /// Per label, the unit weight vector on the latent.
    let weights: [[Float]]
    /// Per label, the threshold giving its prevalence.
    let thresholds: [Float]

    public init(samples: Int, seed: UInt64, batchSize: Int) {
        precondition(samples > 0 && batchSize > 0, "MMIMDBShapedGenerator: samples and batchSize must be positive")
        self.samples = samples
        self.seed = seed
        self.batchSize = batchSize
        var rng = SeededGenerator(seed: seed ^ 0x5EED_1AB5)
        weights = (0..<Self.labelCount).map { _ in
            let w = (0..<Self.latentSize).map { _ in rng.normal() }
            let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return w.map { $0 / norm }
        }
        thresholds = (0..<Self.labelCount).map { k in
            let prevalence = 0.45 * pow(0.03 / 0.45, Double(k) / Double(Self.labelCount - 1))
            return Float(1.25.squareRoot() * standardNormalQuantile(1 - prevalence))
        }
    }

    /// Generated samples: model inputs and multi-label targets. (The pipeline's own batches are
    /// `FusionNAS.Batch`, cut by `miniBatches`; this one only carries what the generator makes.)
    public struct Batch: Sendable {
        /// The 4 image levels then the 2 text levels, each `(B, C, L)`.
        public var inputs: [Tensor]
        /// `B x 23` 0/1 targets.
        public var targets: Tensor
    }

    /// The multi-label names, `label0` ... `label22`.
    public var labelNames: [String] { (0..<Self.labelCount).map { "label\($0)" } }

    /// The number of batches covering all samples (the last may be smaller).
    public var batchCount: Int { (samples + batchSize - 1) / batchSize }

    /// The proportions of MM-IMDB's split, by sample order.
    public var split: DatasetSplit { MMIMDB.splitFor(count: samples) }

    /// Batch `index`: samples `index * batchSize ..< min(samples, (index + 1) * batchSize)`.
    /// `inputs` are the 4 image levels then the 2 text levels, each `(B, C, L)`; targets `B x 23`.
    public func batch(at index: Int) -> Batch {
        precondition(index >= 0 && index < batchCount, "batch(at:): index \(index) outside 0..<\(batchCount)")
        let start = index * batchSize
        return batch(samples: Array(start..<min(samples, start + batchSize)))
    }

    /// The given samples as one batch.
    public func batch(samples indices: [Int]) -> Batch {
        let shapes = Self.imageLevelShapes + Self.textLevelShapes
        let inputs = shapes.map { Tensor(uninitializedShape: [indices.count] + $0) }
        let targets = Tensor.zeros([indices.count, Self.labelCount])
        // Every sample has its own generator and rows, so they are filled in parallel (the whole
        // 25,959-sample set is 3.7 GB) with the same values on any thread count.
        indices.withUnsafeBufferPointer { indices in
            Threading.parallelFor(indices.count, minimumPerThread: 8) { start, end in
                for row in start..<end { fill(sample: indices[row], row: row, inputs: inputs, targets: targets) }
            }
        }
        return Batch(inputs: inputs, targets: targets)
    }

    /// All samples as a dataset (modalities `image` and `text`, feature levels) for small sizes.
    public func materialize() throws -> MultimodalDataset {
        guard samples <= Self.materializeLimit else {
            throw DataError("mmimdb-shaped", "\(samples) samples is more than the \(Self.materializeLimit) that materialize() holds in memory; use batch(at:)")
        }
        let all = batch(samples: Array(0..<samples))
        return try MultimodalDataset(
            name: "mmimdb-shaped",
            modalities: [Modality(name: "image", levels: Array(all.inputs[0..<4])), Modality(name: "text", levels: Array(all.inputs[4...]))],
            labels: .multiLabel(all.targets, labelNames: labelNames), split: split)
    }

    private func fill(sample: Int, row: Int, inputs: [Tensor], targets: Tensor) {
        var rng = SeededGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(sample + 1))
        let z = (0..<Self.latentSize).map { _ in rng.normal() }
        for k in 0..<Self.labelCount {
            var score: Float = 0
            for d in 0..<Self.latentSize { score += weights[k][d] * z[d] }
            score += 0.5 * rng.normal()
            if score > thresholds[k] { targets.data[row * Self.labelCount + k] = 1 }
        }
        for (level, tensor) in inputs.enumerated() {
            let channels = tensor.shape[1], length = tensor.shape[2]
            let signalChannels = level < 4 ? 64 : 16
            let base = tensor.data + row * channels * length
            for c in 0..<channels {
                let signal: Float = c < signalChannels ? 0.5 * z[(c + level) % Self.latentSize] : 0
                for t in 0..<length { base[c * length + t] = signal + approximateNormal(&rng) }
            }
        }
    }
}

/// The sum of four uniforms from two draws, centred and scaled to unit variance: close enough to a
/// normal for noise, and free of transcendental functions.
@inline(__always) private func approximateNormal(_ rng: inout SeededGenerator) -> Float {
    let x = rng.next(), y = rng.next()
    let sum = Float(x & 0xFFFF_FFFF) + Float(x >> 32) + Float(y & 0xFFFF_FFFF) + Float(y >> 32)
    return (sum * 0x1p-32 - 2) * Float(3).squareRoot()
}

/// The `p` quantile of the standard normal, by bisection on `erfc` (called 23 times per generator).
func standardNormalQuantile(_ p: Double) -> Double {
    var low = -10.0, high = 10.0
    for _ in 0..<100 {
        let mid = (low + high) / 2
        if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { low = mid } else { high = mid }
    }
    return (low + high) / 2
}
