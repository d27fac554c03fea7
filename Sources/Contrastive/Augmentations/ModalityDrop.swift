import FusionNAS
import Tensors

/// Zeroes a whole modality of a sample with probability `probability` (default 0.1), but never every
/// modality of the same sample: when the draws would drop them all, one of them, chosen uniformly,
/// is kept.
///
/// All levels of a modality are dropped together. It teaches the fusion to cope with a missing
/// modality (MultiBench's robustness setting). On a single modality it is the identity, since
/// dropping it would drop every modality of the sample.
public struct ModalityDrop: ModalityLevelsAugmentation, Augmentation {
    public static let defaultProbability: Float = 0.1

    public let probability: Float
    public var name: String { "modality_drop" }

    /// - Precondition: `probability` is in [0, 1].
    public init(probability: Float = ModalityDrop.defaultProbability) {
        precondition((0...1).contains(probability), "ModalityDrop: probability must be in [0, 1], got \(probability)")
        self.probability = probability
    }

    /// From registry options: `probability` (default 0.1, in [0, 1]).
    public init(options: [String: Double]) throws {
        let reader = try AugmentationOptions(options, component: "modality_drop", known: ["probability"])
        self.init(probability: try reader.probability("probability", default: Double(Self.defaultProbability)))
    }

    public func applies(toSampleShape shape: [Int]) -> Bool { true }

    /// One modality alone can never be dropped, so the batch is returned unchanged.
    public func callAsFunction(_ batch: Tensor, rng: inout SeededGenerator) -> Tensor { batch }

    public func callAsFunction(modalities: [[Tensor]], rng: inout SeededGenerator) -> [[Tensor]] {
        let batch = sharedBatchSize(modalities, augmentation: name)
        let dropped = dropDecisions(samples: batch, modalities: modalities.count, rng: &rng)
        return modalities.enumerated().map { modality, tensors in
            let rows = (0..<batch).filter { dropped[$0][modality] }
            guard !rows.isEmpty else { return tensors }
            return tensors.map { tensor in
                let out = tensor.copy()
                let width = batch == 0 ? 0 : tensor.count / batch
                for row in rows { (out.data + row * width).update(repeating: 0, count: width) }
                return out
            }
        }
    }

    /// Per sample, per modality: whether it is dropped; never all of a sample's modalities.
    func dropDecisions(samples: Int, modalities: Int, rng: inout SeededGenerator) -> [[Bool]] {
        (0..<samples).map { _ in
            var drops = (0..<modalities).map { _ in rng.uniform() < probability }
            if !drops.contains(false), modalities > 0 {
                drops[Int(rng.next() % UInt64(modalities))] = false
            }
            return drops
        }
    }
}
