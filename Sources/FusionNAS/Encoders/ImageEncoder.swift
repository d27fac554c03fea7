import Layers
import Tensors

/// A small CNN for an image modality (channels, height, width); each conv block is a feature level
/// whose spatial positions become the length axis: (filters, height * width).
///
/// Block k: 3x3 conv (padding 1) -> ReLU, then 2x2 max pooling before the next block.
public final class ImageEncoder: Module, ModalityEncoder, @unchecked Sendable {
    let convolutions: [Conv2d]
    public let levelShapes: [FeatureLevelShape]

    public init(_ configuration: EncoderConfiguration, rng: inout SeededGenerator) throws {
        let shape = configuration.sampleShape
        guard shape.count == 3, shape.allSatisfy({ $0 >= 1 }) else {
            throw ComponentError("image encoder for '\(configuration.modality)': expects samples of shape [channels, height, width], got \(shape)")
        }
        var channels = shape[0], height = shape[1], width = shape[2]
        var convolutions: [Conv2d] = []
        var levels: [FeatureLevelShape] = []
        for k in 0..<configuration.levels {
            if k > 0 {
                guard height >= 2, width >= 2 else {
                    throw ComponentError("image encoder for '\(configuration.modality)': \(configuration.levels) levels need an image of at least \(1 << (configuration.levels - 1)) pixels per side, got \(shape[1]) x \(shape[2])")
                }
                height /= 2
                width /= 2
            }
            let filters = max(8, configuration.width >> (configuration.levels - 1 - k))
            convolutions.append(Conv2d(inChannels: channels, outChannels: filters, kernelSize: 3, stride: 1, padding: 1, rng: &rng))
            levels.append(FeatureLevelShape(channels: filters, length: height * width, rows: height))
            channels = filters
        }
        self.convolutions = convolutions
        levelShapes = levels
        super.init()
    }

    public func callAsFunction(_ input: [Tensor]) -> [Tensor] {
        var h = input[0]
        var levels: [Tensor] = []
        for (k, conv) in convolutions.enumerated() {
            if k > 0 { h = maxPool2d(h, kernel: 2) }
            h = conv(h).relu()
            levels.append(h.reshaped([h.shape[0], h.shape[1], h.shape[2] * h.shape[3]]))
        }
        return levels
    }
}
