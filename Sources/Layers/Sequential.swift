import Tensors

/// Layers applied one after another; parameters are named `layers.<index>.<name>`.
public final class Sequential: Module, Layer, @unchecked Sendable {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) {
        self.layers = layers
        super.init()
    }

    public convenience init(_ layers: any Layer...) { self.init(layers) }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        layers.reduce(x) { y, layer in layer(y) }
    }
}
