import Tensors

/// Layer normalisation over the trailing axes given by `normalizedShape`, with a learned
/// elementwise scale (initialised to 1) and shift (initialised to 0), as `torch.nn.LayerNorm`.
public final class LayerNorm: Module, Layer, @unchecked Sendable {
    /// `normalizedShape`, initialised to ones.
    public let weight: Tensor
    /// `normalizedShape`, initialised to zeros.
    public let bias: Tensor
    public let normalizedShape: [Int]
    public let epsilon: Float

    public init(normalizedShape: [Int], epsilon: Float = 1e-5) {
        precondition(
            !normalizedShape.isEmpty && normalizedShape.allSatisfy { $0 > 0 },
            "LayerNorm: invalid normalizedShape \(normalizedShape)")
        weight = Tensor.ones(normalizedShape).requiringGrad()
        bias = Tensor.zeros(normalizedShape).requiringGrad()
        self.normalizedShape = normalizedShape
        self.epsilon = epsilon
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(
            x.rank >= normalizedShape.count && Array(x.shape.suffix(normalizedShape.count)) == normalizedShape,
            "LayerNorm(\(normalizedShape)): input shape \(x.shape) does not end with \(normalizedShape)")
        return layerNorm(x, normalizedCount: weight.count, weight: weight, bias: bias, epsilon: epsilon)
    }
}
