import FusionNAS
import Layers
import Tensors

/// BM-NAS's ConcatFC: concat(x, y) -> 1x1 conv 2C -> C -> BatchNorm -> ReLU -> dropout (the ReLU
/// fused into the BatchNorm's output pass).
public final class ConcatFC: Module, FusionPrimitive {
    let conv: Conv1d
    let norm: BatchNorm1d
    let dropout: Dropout

    public init(_ configuration: PrimitiveConfiguration, rng: inout SeededGenerator) {
        conv = Conv1d(
            inChannels: configuration.channels * configuration.arity, outChannels: configuration.channels,
            kernelSize: 1, rng: &rng)
        norm = BatchNorm1d(configuration.channels, fusedReLU: true)
        dropout = Dropout(configuration.dropout, rng: &rng)
        super.init()
    }

    public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
        dropout(norm(conv(Tensor.concat(inputs, axis: 1))))
    }
}
