import Tensors

/// A 1-D convolution: (B, Cin, L) to (B, Cout, L').
///
/// With kernel size 1, stride 1 and no padding it is BM-NAS's reshape layer, a per-position linear
/// map; that case runs as ``Tensors/pointwiseConv1d(_:weight:bias:)`` (whole batch in one GEMM)
/// instead of the general `conv1d` op.
public final class Conv1d: Module, Layer, @unchecked Sendable {
    /// (outputs, inputs, kernelSize)
    public let weight: Tensor
    /// (outputs), or nil without bias.
    public let bias: Tensor?
    public let stride: Int
    public let padding: Int

    /// PyTorch's default initialisation: uniform in ±1/sqrt(inChannels * kernelSize).
    public init(
        inChannels: Int, outChannels: Int, kernelSize: Int = 1, stride: Int = 1, padding: Int = 0,
        bias: Bool = true, rng: inout SeededGenerator
    ) {
        precondition(
            inChannels > 0 && outChannels > 0 && kernelSize > 0 && stride > 0 && padding >= 0,
            "Conv1d: invalid configuration in \(inChannels) out \(outChannels) kernel \(kernelSize) stride \(stride) padding \(padding)")
        let bound = 1 / Float(inChannels * kernelSize).squareRoot()
        weight = Tensor.uniform([outChannels, inChannels, kernelSize], low: -bound, high: bound, rng: &rng).requiringGrad()
        self.bias = bias ? Tensor.uniform([outChannels], low: -bound, high: bound, rng: &rng).requiringGrad() : nil
        self.stride = stride
        self.padding = padding
        super.init()
    }

    /// Whether the layer is a pointwise (per-position linear) map.
    public var isPointwise: Bool { weight.shape[2] == 1 && stride == 1 && padding == 0 }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(
            x.rank == 3 && x.shape[1] == weight.shape[1],
            "Conv1d(\(weight.shape[1]) -> \(weight.shape[0]), kernel \(weight.shape[2])): input shape \(x.shape) is not (batch, \(weight.shape[1]), length)")
        if isPointwise { return pointwiseConv1d(x, weight: weight, bias: bias) }
        return conv1d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }
}
