import Foundation
import Tensors

/// A fully connected layer: `y = x Wᵀ + b` for `x` of shape (batch, inputs).
///
/// The forward pass is one fused ``Tensors/linear(_:weight:bias:relu:)`` op: one `sgemm` onto the
/// broadcast bias and one recorded backward.
public final class Linear: Module, Layer, @unchecked Sendable {
    /// (outputs, inputs)
    public let weight: Tensor
    /// (outputs), or nil without bias.
    public let bias: Tensor?
    /// Whether a ReLU is fused into the output pass (saves a separate op and its buffer).
    public let fusedReLU: Bool

    /// PyTorch's default initialisation: uniform in ±1/sqrt(inputs) for weight and bias.
    public init(_ inputs: Int, _ outputs: Int, bias: Bool = true, fusedReLU: Bool = false, rng: inout SeededGenerator) {
        let bound = 1 / Float(inputs).squareRoot()
        weight = Tensor.uniform([outputs, inputs], low: -bound, high: bound, rng: &rng).requiringGrad()
        self.bias = bias ? Tensor.uniform([outputs], low: -bound, high: bound, rng: &rng).requiringGrad() : nil
        self.fusedReLU = fusedReLU
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(
            x.rank == 2 && x.shape[1] == weight.shape[1],
            "Linear(\(weight.shape[1]) -> \(weight.shape[0])): input shape \(x.shape) is not (batch, \(weight.shape[1]))")
        return linear(x, weight: weight, bias: bias, relu: fusedReLU)
    }
}
