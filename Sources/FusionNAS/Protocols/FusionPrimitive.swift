import Layers
import Tensors

/// What a fusion primitive is built from: the shared feature-map shape, dropout and its own options.
public struct PrimitiveConfiguration: Sendable, Codable, Equatable {
    /// Channels C of every feature map (batch, C, L).
    public var channels: Int
    /// Length L of every feature map.
    public var length: Int
    /// Dropout probability applied inside the primitive where it has dropout.
    public var dropout: Float
    /// Number of input feature maps (2 in BM-NAS's cells).
    public var arity: Int
    /// Primitive-specific options (e.g. `rank` for low-rank fusion).
    public var options: [String: Double]

    public init(channels: Int, length: Int, dropout: Float = 0.1, arity: Int = 2, options: [String: Double] = [:]) {
        self.channels = channels
        self.length = length
        self.dropout = dropout
        self.arity = arity
        self.options = options
    }
}

/// A named operation that fuses two or more feature maps of shape (batch, C, L) into one of the same shape.
///
/// A primitive is a ``Module``: its parameters are its stored tensors and layers, discovered by
/// reflection. It is built by a ``PrimitiveFactory`` registered under its name.
///
/// ```swift
/// final class Product: Module, FusionPrimitive {
///     func callAsFunction(_ inputs: [Tensor]) -> Tensor { inputs[0] * inputs[1] }
/// }
/// try ComponentRegistry.shared.register(
///     PrimitiveFactory(name: "product", origin: .inProcess("MyApp")) { _, _ in Product() })
/// ```
public protocol FusionPrimitive: Module {
    /// Fuses `inputs` (each (batch, C, L)) into one (batch, C, L) map.
    func callAsFunction(_ inputs: [Tensor]) -> Tensor
    /// Whether this primitive always outputs zero (the search's "no connection" choice, never kept in a genotype).
    var isZero: Bool { get }
}

extension FusionPrimitive {
    public var isZero: Bool { false }
}
