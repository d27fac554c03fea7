import Tensors

/// A multilayer perceptron: `Linear` layers of the given sizes with an activation (and optional
/// dropout) between them, none after the last.
///
/// The layers are stored flat, like `torch.nn.Sequential`, so that `MLP(sizes: [4, 8, 2])` names
/// its parameters `layers.0.weight`, `layers.0.bias`, `layers.2.weight`, `layers.2.bias` (with
/// dropout every hidden block is Linear, Activation, Dropout, so the next Linear is `layers.3`).
public final class MLP: Module, Layer, @unchecked Sendable {
    public let layers: [any Layer]

    /// - Parameters:
    ///   - sizes: input width, hidden widths, output width (at least two entries).
    ///   - activation: applied after every hidden `Linear`.
    ///   - dropout: the drop probability after every hidden activation; 0 for none.
    public init(sizes: [Int], activation: ActivationFunction = .relu, dropout: Float = 0, rng: inout SeededGenerator) {
        precondition(
            sizes.count >= 2 && sizes.allSatisfy { $0 > 0 },
            "MLP: sizes \(sizes) need an input and an output width, all positive")
        var layers: [any Layer] = []
        for i in 0..<(sizes.count - 1) {
            let isHidden = i < sizes.count - 2
            layers.append(Linear(sizes[i], sizes[i + 1], rng: &rng))
            guard isHidden else { continue }
            // The activation is always its own layer so that parameter names do not depend on it.
            layers.append(Activation(activation))
            if dropout > 0 { layers.append(Dropout(dropout, rng: &rng)) }
        }
        self.layers = layers
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        layers.reduce(x) { y, layer in layer(y) }
    }
}
