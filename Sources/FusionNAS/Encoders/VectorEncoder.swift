import Layers
import Tensors

/// An MLP for a vector modality; each hidden layer is a feature level of shape (width, 1).
///
/// Level k is ReLU(Linear(...)) after k + 1 layers, so deeper levels are more abstract, as the
/// intermediate layers of BM-NAS's backbones are.
public final class VectorEncoder: Module, ModalityEncoder, @unchecked Sendable {
    let layers: [Linear]
    let dropout: Dropout
    public let levelShapes: [FeatureLevelShape]

    public init(_ configuration: EncoderConfiguration, rng: inout SeededGenerator) throws {
        guard configuration.sampleShape.count == 1, configuration.sampleShape[0] >= 1 else {
            throw ComponentError("vector encoder for '\(configuration.modality)': expects samples of shape [features], got \(configuration.sampleShape)")
        }
        guard configuration.levels >= 1, configuration.width >= 1 else {
            throw ComponentError("vector encoder for '\(configuration.modality)': levels and width must be >= 1")
        }
        var inputs = configuration.sampleShape[0]
        var layers: [Linear] = []
        for _ in 0..<configuration.levels {
            layers.append(Linear(inputs, configuration.width, rng: &rng))
            inputs = configuration.width
        }
        self.layers = layers
        dropout = Dropout(configuration.dropout, rng: &rng)
        levelShapes = Array(repeating: FeatureLevelShape(channels: configuration.width, length: 1), count: configuration.levels)
        super.init()
    }

    public func callAsFunction(_ input: [Tensor]) -> [Tensor] {
        var h = input[0]
        var levels: [Tensor] = []
        for layer in layers {
            h = dropout(layer(h).relu())
            levels.append(h.reshaped([h.shape[0], h.shape[1], 1]))
        }
        return levels
    }
}
