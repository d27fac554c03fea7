import FusionNAS
import Tensors

/// Multiplies every element by its own random factor drawn uniformly from
/// `[1 − spread, 1 + spread]` (default `spread` 0.2): `x' = x · (1 + spread · (2u − 1))`.
///
/// The built-in elementwise augmentations add noise (`gaussian_noise`) or remove features
/// (`feature_mask`); both change a feature by an amount independent of its value. Scaling changes
/// it in proportion to its value, so a feature near zero stays near zero and the sign of every
/// feature is kept (for `spread` < 1): a view that still agrees with its pair on which features are
/// active, only not on how strongly.
///
/// It is an ``ElementwiseAugmentation``, so the pipeline fuses it with its elementwise neighbours
/// in one pass per block; it draws one uniform per element, in element order, so a seed
/// reproduces the views. It applies to every sample shape.
///
/// ```swift
/// let scaling = try RandomScaling(options: ["spread": 0.3])
/// let view = scaling(batch, rng: &rng)
/// ```
public struct RandomScaling: ElementwiseAugmentation {
    /// The registry name.
    public static let name = "random_scaling"
    public static let defaultSpread = 0.2

    /// Half the width of the factor's range around 1, in [0, 1].
    public let spread: Float
    public var name: String { Self.name }

    /// From registry options: `spread` (default 0.2, in [0, 1]); any other option is refused, so a
    /// misspelt one is not silently ignored.
    public init(options: [String: Double]) throws {
        for option in options.keys.sorted() where option != "spread" {
            throw ComponentError(
                .invalidOption(component: Self.name), "\(Self.name): unknown option '\(option)'; it takes: spread")
        }
        let spread = options["spread"] ?? Self.defaultSpread
        guard spread.isFinite, (0...1).contains(spread) else {
            throw ComponentError(
                .invalidOption(component: Self.name),
                "\(Self.name): option spread must be in 0...1 (a factor in [1 - spread, 1 + spread] keeps the sign), got \(spread)")
        }
        self.spread = Float(spread)
        UsageTrace.record("augmentation \(Self.name): built")
    }

    public func applies(toSampleShape shape: [Int]) -> Bool { true }

    public func transform(_ values: UnsafeMutableBufferPointer<Float>, rng: inout SeededGenerator) {
        UsageTrace.record("augmentation \(Self.name): scaled elements of a view")
        let scale = 2 * spread, offset = 1 - spread
        for i in values.indices { values[i] *= offset + scale * rng.uniform() }
    }
}
