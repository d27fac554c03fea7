import Foundation
import Tensors

/// A fully connected layer: `y = x W^T + b` for `x` of shape (batch, inputs).
public final class Linear: Module {
    /// (outputs, inputs)
    public let weight: Tensor
    /// (outputs), or nil without bias.
    public let bias: Tensor?

    /// PyTorch's default initialisation: uniform in ±1/sqrt(inputs) for weight and bias.
    public init(_ inputs: Int, _ outputs: Int, bias: Bool = true, rng: inout SeededGenerator) {
        let bound = 1 / Float(inputs).squareRoot()
        weight = Tensor.uniform([outputs, inputs], low: -bound, high: bound, rng: &rng).requiringGrad()
        self.bias = bias ? Tensor.uniform([outputs], low: -bound, high: bound, rng: &rng).requiringGrad() : nil
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(
            x.rank == 2 && x.shape[1] == weight.shape[1],
            "Linear(\(weight.shape[1]) -> \(weight.shape[0])): input shape \(x.shape) is not (batch, \(weight.shape[1]))")
        let y = x.matmul(weight, transposeOther: true)
        guard let bias else { return y }
        return y + bias
    }
}
