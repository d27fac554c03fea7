import FusionNAS
import Layers
import Tensors

/// An encoder for vector modalities whose feature levels are the states of a residual stack:
/// `h₀ = stem(x)`, `hₖ₊₁ = hₖ + blockₖ(gelu(hₖ))`, level k = hₖ₊₁ as (width, 1).
///
/// The built-in `mlp` replaces its hidden state at every layer (`ReLU(Linear(h))`), so its levels
/// drift apart in scale and meaning. Here each level adds a correction to the one before, so the
/// levels stay on a common scale and a deeper level still carries the shallower one: mixing levels
/// in a cell is then closer to mixing refinements of one representation. GELU keeps a gradient for
/// negative pre-activations, which a ReLU stack of few units on small data loses.
///
/// It refuses samples that are not vectors (`[features]`), as the built-in `mlp` does.
///
/// ```swift
/// let encoder = try ResidualMLPEncoder(EncoderConfiguration(modality: "fou", sampleShape: [76], levels: 2, width: 16), rng: &rng)
/// let levels = encoder([batch])   // [(B, 16, 1), (B, 16, 1)]
/// ```
public final class ResidualMLPEncoder: Module, ModalityEncoder, @unchecked Sendable {
    /// The registry name.
    public static let name = "residual_mlp"

    /// Maps the features to the width; its output is h₀, not a level.
    let stem: Linear
    /// One width × width residual branch per level.
    let blocks: [Linear]
    let dropout: Dropout
    public let levelShapes: [FeatureLevelShape]

    public init(_ configuration: EncoderConfiguration, rng: inout SeededGenerator) throws {
        guard configuration.sampleShape.count == 1, configuration.sampleShape[0] >= 1 else {
            throw ComponentError(
                .invalidOption(component: Self.name),
                "\(Self.name) encoder for '\(configuration.modality)': expects vector samples of shape [features], "
                    + "got \(configuration.sampleShape); use it for vector modalities only")
        }
        guard configuration.levels >= 1, configuration.width >= 1 else {
            throw ComponentError(
                .invalidOption(component: Self.name),
                "\(Self.name) encoder for '\(configuration.modality)': levels and width must be >= 1, got \(configuration.levels) and \(configuration.width)")
        }
        stem = Linear(configuration.sampleShape[0], configuration.width, rng: &rng)
        blocks = (0..<configuration.levels).map { _ in Linear(configuration.width, configuration.width, rng: &rng) }
        dropout = Dropout(configuration.dropout, rng: &rng)
        levelShapes = Array(repeating: FeatureLevelShape(channels: configuration.width, length: 1), count: configuration.levels)
        super.init()
        UsageTrace.record("encoder \(Self.name): built for modality \(configuration.modality)")
    }

    public func callAsFunction(_ input: [Tensor]) -> [Tensor] {
        UsageTrace.record("encoder \(Self.name): encoded a batch")
        var h = stem(input[0])
        var levels: [Tensor] = []
        for block in blocks {
            h = h + dropout(block(h.gelu()))
            levels.append(h.reshaped([h.shape[0], h.shape[1], 1]))
        }
        return levels
    }
}
