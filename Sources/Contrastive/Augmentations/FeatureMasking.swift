import FusionNAS
import Tensors

/// Sets each element to zero independently with probability `probability` (default 0.2).
///
/// Unlike dropout the survivors are not rescaled: the view should look like the input with some
/// features missing, not like a differently scaled input. Applies to every sample shape.
public struct FeatureMasking: ElementwiseAugmentation {
    public static let defaultProbability: Float = 0.2

    public let probability: Float
    public var name: String { "feature_mask" }

    /// - Precondition: `probability` is in [0, 1].
    public init(probability: Float = FeatureMasking.defaultProbability) {
        precondition((0...1).contains(probability), "FeatureMasking: probability must be in [0, 1], got \(probability)")
        self.probability = probability
    }

    /// From registry options: `probability` (default 0.2, in [0, 1]).
    public init(options: [String: Double]) throws {
        let reader = try AugmentationOptions(options, component: "feature_mask", known: ["probability"])
        self.init(probability: try reader.probability("probability", default: Double(Self.defaultProbability)))
    }

    public func applies(toSampleShape shape: [Int]) -> Bool { true }

    public func transform(_ values: UnsafeMutableBufferPointer<Float>, rng: inout SeededGenerator) {
        // Each 64-bit draw decides four elements through 16-bit uniforms: a quarter of the draws,
        // and the probability is still resolved to 1/65,536. The mask is applied with bit
        // operations, not a branch: a 20 % branch is mispredicted too often to be cheap.
        let threshold = UInt64((Double(probability) * 65_536).rounded())
        let base = values.baseAddress!
        var i = 0
        while i < values.count {
            var bits = rng.next()
            for j in i..<Swift.min(i + 4, values.count) {
                // All ones when the 16-bit draw is at or above the threshold (kept), zero otherwise.
                let kept = UInt32(truncatingIfNeeded: (((bits & 0xFFFF) &- threshold) >> 63) &- 1)
                base[j] = Float(bitPattern: base[j].bitPattern & kept)
                bits >>= 16
            }
            i += 4
        }
    }
}
