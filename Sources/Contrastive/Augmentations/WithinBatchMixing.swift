import FusionNAS
import Tensors

/// Mixes each sample with another sample of the batch: `x'_i = (1 - λ_i) x_i + λ_i x_π(i)`, with a
/// random permutation π and λ_i ~ U(0, alpha) drawn per sample (default alpha 0.2).
///
/// Keeping λ below 0.5 keeps each view closer to its own sample than to its partner, so the
/// positive pair stays the most similar one. π and λ are shared by all modalities (and levels), so
/// the modalities of a mixed sample stay consistent with each other. A sample may be paired with
/// itself, which leaves it unchanged.
public struct WithinBatchMixing: ModalityLevelsAugmentation, Augmentation {
    public static let defaultAlpha: Float = 0.2

    public let alpha: Float
    public var name: String { "mixing" }

    /// - Precondition: `alpha` is in [0, 1].
    public init(alpha: Float = WithinBatchMixing.defaultAlpha) {
        precondition((0...1).contains(alpha), "WithinBatchMixing: alpha must be in [0, 1], got \(alpha)")
        self.alpha = alpha
    }

    /// From registry options: `alpha` (default 0.2, in [0, 1]).
    public init(options: [String: Double]) throws {
        let reader = try AugmentationOptions(options, component: "mixing", known: ["alpha"])
        self.init(alpha: Float(try reader.value("alpha", default: Double(Self.defaultAlpha), in: 0...1)))
    }

    public func applies(toSampleShape shape: [Int]) -> Bool { true }

    /// Mixes the samples of one modality.
    public func callAsFunction(_ batch: Tensor, rng: inout SeededGenerator) -> Tensor {
        callAsFunction(modalities: [[batch]], rng: &rng)[0][0]
    }

    public func callAsFunction(modalities: [[Tensor]], rng: inout SeededGenerator) -> [[Tensor]] {
        let batch = sharedBatchSize(modalities, augmentation: name)
        // Fisher-Yates by hand: the standard library's shuffle algorithm may change between Swift
        // releases, which would change the views a seed produces.
        var partners = Array(0..<batch)
        for i in stride(from: batch - 1, to: 0, by: -1) {
            partners.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
        let weights = (0..<batch).map { _ in rng.uniform() * alpha }
        return modalities.map { tensors in
            tensors.map { tensor in
                let out = Tensor(uninitializedShape: tensor.shape)
                let width = batch == 0 ? 0 : tensor.count / batch
                let source = tensor.data, target = out.data
                for row in 0..<batch {
                    let own = source + row * width, other = source + partners[row] * width, mixed = target + row * width
                    let lambda = weights[row]
                    for k in 0..<width { mixed[k] = (1 - lambda) * own[k] + lambda * other[k] }
                }
                return out
            }
        }
    }
}
