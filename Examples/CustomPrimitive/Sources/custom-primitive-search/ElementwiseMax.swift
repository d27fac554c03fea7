import FusionNAS
import Layers
import Tensors

/// Fuses feature maps by their elementwise maximum: the strongest response of any modality wins.
///
/// The gradient goes to the input that held the maximum (the first one on ties). It is written as
/// one recorded op with `recorded(from:backward:)`, the way a library user adds an op the tensor
/// library does not have.
///
/// ```swift
/// let fused = ElementwiseMax()([x, y])   // (B, C, L)
/// ```
final class ElementwiseMax: Module, FusionPrimitive, @unchecked Sendable {
    func callAsFunction(_ inputs: [Tensor]) -> Tensor {
        let shape = inputs[0].shape
        precondition(inputs.allSatisfy { $0.shape == shape }, "elementwise_max: inputs differ in shape: \(inputs.map(\.shape))")
        let output = Tensor(uninitializedShape: shape)
        // Which input supplied each element, for the backward pass.
        var winner = [Int](repeating: 0, count: output.count)
        for i in 0..<output.count {
            var best = inputs[0].data[i]
            for (k, x) in inputs.enumerated().dropFirst() where x.data[i] > best {
                best = x.data[i]
                winner[i] = k
            }
            output.data[i] = best
        }
        return output.recorded(from: inputs) { outputGrad in
            for (k, x) in inputs.enumerated() where x.requiresGrad {
                let grad = Tensor.zeros(shape)
                for i in 0..<grad.count where winner[i] == k { grad.data[i] = outputGrad.data[i] }
                x.accumulateGrad(grad)
            }
        }
    }
}
