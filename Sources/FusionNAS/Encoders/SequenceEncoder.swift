import Layers
import Tensors

/// A small 1-D CNN for a sequence modality (channels, length); each conv block is a feature level
/// of shape (filters, length at that depth).
///
/// Block k: 1-D conv (kernel 5, padding 2; stride 2 from the second block on) -> BatchNorm -> ReLU.
/// The kernel spans five time steps (100 ms at 50 Hz) so the first level already sees a short
/// motion rather than a single reading; the stride halves the length per level (ceil(L / 2)), so
/// deeper levels are coarser in time as an image CNN's are in space, and any length >= 1 works.
/// BatchNorm keeps the levels on a common scale whatever the raw sensor units, which the search's
/// fusion primitives (products, attention) are sensitive to.
public final class SequenceEncoder: Module, ModalityEncoder, @unchecked Sendable {
    let convolutions: [Conv1d]
    let norms: [BatchNorm1d]
    public let levelShapes: [FeatureLevelShape]

    /// The temporal extent of each convolution.
    public static let kernelSize = 5

    public init(_ configuration: EncoderConfiguration, rng: inout SeededGenerator) throws {
        let shape = configuration.sampleShape
        guard shape.count == 2, shape.allSatisfy({ $0 >= 1 }) else {
            throw ComponentError("conv1d encoder for '\(configuration.modality)': expects samples of shape [channels, length], got \(shape)")
        }
        guard configuration.levels >= 1, configuration.width >= 1 else {
            throw ComponentError("conv1d encoder for '\(configuration.modality)': levels and width must be >= 1, got \(configuration.levels) and \(configuration.width)")
        }
        var channels = shape[0], length = shape[1]
        var convolutions: [Conv1d] = []
        var norms: [BatchNorm1d] = []
        var levels: [FeatureLevelShape] = []
        let padding = Self.kernelSize / 2
        for k in 0..<configuration.levels {
            let stride = k == 0 ? 1 : 2
            // Same filter schedule as the image encoder: the deepest level has `width` filters.
            let filters = max(8, configuration.width >> (configuration.levels - 1 - k))
            // No conv bias: the BatchNorm after it has its own shift.
            convolutions.append(Conv1d(
                inChannels: channels, outChannels: filters, kernelSize: Self.kernelSize, stride: stride, padding: padding,
                bias: false, rng: &rng))
            norms.append(BatchNorm1d(filters, fusedReLU: true))
            length = (length + 2 * padding - Self.kernelSize) / stride + 1
            levels.append(FeatureLevelShape(channels: filters, length: length))
            channels = filters
        }
        self.convolutions = convolutions
        self.norms = norms
        levelShapes = levels
        super.init()
    }

    public func callAsFunction(_ input: [Tensor]) -> [Tensor] {
        var h = input[0]
        var levels: [Tensor] = []
        for (conv, norm) in zip(convolutions, norms) {
            h = norm(conv(h))
            levels.append(h)
        }
        return levels
    }
}
