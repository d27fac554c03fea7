import Layers
import Tensors

/// Precomputed backbone features (one tensor per level, each (batch, C_i, L_i)) used as they are:
/// the frozen-backbone setting of the paper (MM-IMDB). It has no parameters.
public final class PrecomputedFeatures: Module, ModalityEncoder, @unchecked Sendable {
    public let levelShapes: [FeatureLevelShape]

    public init(_ configuration: EncoderConfiguration) throws {
        if !configuration.levelShapes.isEmpty {
            levelShapes = configuration.levelShapes
        } else if configuration.sampleShape.count == 2 {
            levelShapes = [FeatureLevelShape(channels: configuration.sampleShape[0], length: configuration.sampleShape[1])]
        } else if configuration.sampleShape.count == 1 {
            levelShapes = [FeatureLevelShape(channels: configuration.sampleShape[0], length: 1)]
        } else {
            throw ComponentError("precomputed features for '\(configuration.modality)': give level shapes or a sample shape [C, L] or [C], got \(configuration.sampleShape)")
        }
        super.init()
    }

    public func callAsFunction(_ input: [Tensor]) -> [Tensor] {
        precondition(
            input.count == levelShapes.count,
            "PrecomputedFeatures: \(input.count) levels given, expected \(levelShapes.count) \(levelShapes)")
        return zip(input, levelShapes).map { x, s in
            x.rank == 2 ? x.reshaped([x.shape[0], s.channels, s.length]) : x
        }
    }
}
