import Tensors

/// Adam with `torch.optim.Adam`'s update: L2 weight decay is added to the gradient before the
/// moment estimates (see ``AdamW`` for decoupled decay).
///
/// ```
/// g += weightDecay * p
/// m = β1 m + (1 - β1) g;  v = β2 v + (1 - β2) g²
/// p -= lr / (1 - β1ᵗ) * m / (sqrt(v) / sqrt(1 - β2ᵗ) + ε)
/// ```
public final class Adam: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let betas: (Float, Float)
    public let epsilon: Float
    public let weightDecay: Float
    private var moments: AdamMoments

    public init(
        parameters: [Tensor], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
        epsilon: Float = 1e-8, weightDecay: Float = 0
    ) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.betas = betas
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        moments = AdamMoments(count: parameters.count)
    }

    public func step() {
        moments.step(
            parameters, learningRate: learningRate, betas: betas, epsilon: epsilon, l2: weightDecay, decoupled: 0)
    }

    /// Keys: `exp_avg.<index>`, `exp_avg_sq.<index>` and `step` (per-parameter counts).
    public func stateTensors() -> [String: Tensor] { moments.export() }

    public func loadState(_ state: [String: Tensor]) throws { try moments.load(state, parameters: parameters) }
}
