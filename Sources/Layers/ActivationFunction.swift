import Tensors

/// An elementwise nonlinearity, as a value so that models can be configured with one.
public enum ActivationFunction: Sendable, Equatable, Codable {
    case identity
    case relu
    case leakyRelu(slope: Float)
    case gelu
    case tanh
    case sigmoid
    case softplus
    case mish

    /// Applies the function elementwise.
    public func apply(_ x: Tensor) -> Tensor {
        switch self {
        case .identity: x
        case .relu: x.relu()
        case .leakyRelu(let slope): x.leakyRelu(slope)
        case .gelu: x.gelu()
        case .tanh: x.tanh()
        case .sigmoid: x.sigmoid()
        case .softplus: x.softplus()
        case .mish: x.mish()
        }
    }
}
