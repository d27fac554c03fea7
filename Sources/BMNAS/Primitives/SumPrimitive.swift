import FusionNAS
import Layers
import Tensors

/// BM-NAS's Sum: x + y (and any further inputs).
public final class SumPrimitive: Module, FusionPrimitive, @unchecked Sendable {
    public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
        inputs.dropFirst().reduce(inputs[0], +)
    }
}
