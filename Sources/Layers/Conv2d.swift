import Tensors

/// A 2-D convolution with a square kernel: (B, Cin, H, W) to (B, Cout, H', W').
public final class Conv2d: Module, Layer, @unchecked Sendable {
    /// (outputs, inputs, kernelSize, kernelSize)
    public let weight: Tensor
    /// (outputs), or nil without bias.
    public let bias: Tensor?
    public let stride: Int
    public let padding: Int

    /// PyTorch's default initialisation: uniform in ±1/sqrt(inChannels * kernelSize²).
    public init(
        inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        bias: Bool = true, rng: inout SeededGenerator
    ) {
        precondition(
            inChannels > 0 && outChannels > 0 && kernelSize > 0 && stride > 0 && padding >= 0,
            "Conv2d: invalid configuration in \(inChannels) out \(outChannels) kernel \(kernelSize) stride \(stride) padding \(padding)")
        let bound = 1 / Float(inChannels * kernelSize * kernelSize).squareRoot()
        weight = Tensor.uniform(
            [outChannels, inChannels, kernelSize, kernelSize], low: -bound, high: bound, rng: &rng
        ).requiringGrad()
        self.bias = bias ? Tensor.uniform([outChannels], low: -bound, high: bound, rng: &rng).requiringGrad() : nil
        self.stride = stride
        self.padding = padding
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(
            x.rank == 4 && x.shape[1] == weight.shape[1],
            "Conv2d(\(weight.shape[1]) -> \(weight.shape[0]), kernel \(weight.shape[2])): input shape \(x.shape) is not (batch, \(weight.shape[1]), height, width)")
        return conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }
}
