import Tensors

/// Adam with decoupled weight decay (`torch.optim.AdamW`): parameters shrink by
/// `1 - lr * weightDecay` before the Adam step, and the decay never enters the moment estimates.
public final class AdamW: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let betas: (Float, Float)
    public let epsilon: Float
    public let weightDecay: Float
    private var moments: AdamMoments

    public init(
        parameters: [Tensor], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
        epsilon: Float = 1e-8, weightDecay: Float = 1e-2
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
            parameters, learningRate: learningRate, betas: betas, epsilon: epsilon, l2: 0, decoupled: weightDecay)
    }

    /// Keys: `exp_avg.<index>`, `exp_avg_sq.<index>` and `step` (per-parameter counts).
    public func stateTensors() -> [String: Tensor] { moments.export() }

    public func loadState(_ state: [String: Tensor]) throws { try moments.load(state, parameters: parameters) }
}
