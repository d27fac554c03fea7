import Tensors

/// A module that maps one tensor to one tensor, so that it can be chained in a ``Sequential``.
///
/// ```swift
/// let model = Sequential(Linear(4, 8, rng: &rng), Activation(.relu), Linear(8, 2, rng: &rng))
/// let logits = model(x)
/// ```
public protocol Layer: Module {
    /// Applies the layer to `x`.
    func callAsFunction(_ x: Tensor) -> Tensor
}
