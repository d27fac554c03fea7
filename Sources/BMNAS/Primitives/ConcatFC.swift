import FusionNAS
import Layers
import Tensors

/// BM-NAS's ConcatFC: concat(x, y) -> 1x1 conv 2C -> C -> BatchNorm -> ReLU -> dropout (a ReLU is
/// fused into the BatchNorm's output pass).
///
/// With Mish instead of ReLU it is CatConvMish, which BM-NAS's code defines but does not search.
public final class ConcatFC: Module, FusionPrimitive, @unchecked Sendable {
    let conv: Conv1d
    let norm: BatchNorm1d
    let activation: ActivationFunction
    let dropout: Dropout

    public init(_ configuration: PrimitiveConfiguration, activation: ActivationFunction = .relu, rng: inout SeededGenerator) {
        conv = Conv1d(
            inChannels: configuration.channels * configuration.arity, outChannels: configuration.channels,
            kernelSize: 1, rng: &rng)
        if case .relu = activation {
            norm = BatchNorm1d(configuration.channels, fusedReLU: true)
            self.activation = .identity
        } else {
            norm = BatchNorm1d(configuration.channels)
            self.activation = activation
        }
        dropout = Dropout(configuration.dropout, rng: &rng)
        super.init()
    }

    public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
        dropout(activation.apply(norm(conv(Tensor.concat(inputs, axis: 1)))))
    }
}
