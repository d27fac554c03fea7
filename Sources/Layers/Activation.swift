import Tensors

/// A parameter-free layer applying an ``ActivationFunction`` elementwise.
public final class Activation: Module, Layer, @unchecked Sendable {
    public let function: ActivationFunction

    public init(_ function: ActivationFunction) {
        self.function = function
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { function.apply(x) }
}
