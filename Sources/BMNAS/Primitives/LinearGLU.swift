import FusionNAS
import Layers
import Tensors

/// BM-NAS's LinearGLU: concat(x, y) -> 1x1 conv 2C -> 2C -> BatchNorm -> GLU over channels -> dropout.
public final class LinearGLU: Module, FusionPrimitive, @unchecked Sendable {
    let conv: Conv1d
    let norm: BatchNorm1d
    let dropout: Dropout

    public init(_ configuration: PrimitiveConfiguration, rng: inout SeededGenerator) {
        let c = configuration.channels * configuration.arity
        conv = Conv1d(inChannels: c, outChannels: 2 * configuration.channels, kernelSize: 1, rng: &rng)
        norm = BatchNorm1d(2 * configuration.channels)
        dropout = Dropout(configuration.dropout, rng: &rng)
        super.init()
    }

    public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
        dropout(norm(conv(Tensor.concat(inputs, axis: 1))).glu(axis: 1))
    }
}
