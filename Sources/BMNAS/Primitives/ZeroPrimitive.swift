import FusionNAS
import Layers
import Tensors

/// BM-NAS's Zero: no connection. Its output is zero; the supernet skips computing it.
public final class ZeroPrimitive: Module, FusionPrimitive, @unchecked Sendable {
    public var isZero: Bool { true }
    public func callAsFunction(_ inputs: [Tensor]) -> Tensor { Tensor.zeros(inputs[0].shape) }
}
