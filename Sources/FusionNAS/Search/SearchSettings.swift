/// Hyper-parameters of the bilevel search; the defaults are BM-NAS's (Algorithm 1).
public struct SearchSettings: Sendable, Codable, Equatable {
    public var epochs = 10
    public var batchSize = 64
    /// Weights: Adam with cosine annealing from this rate ...
    public var weightLearningRate: Float = 1e-3
    /// ... down to this one.
    public var weightMinimumLearningRate: Float = 1e-6
    public var weightDecay: Float = 1e-4
    /// Architecture parameters: Adam with these settings.
    public var architectureLearningRate: Float = 3e-4
    public var architectureBeta1: Float = 0.5
    public var architectureBeta2: Float = 0.999
    public var architectureWeightDecay: Float = 1e-3
    /// Global gradient-norm clip of the weight step (DARTS uses 5).
    public var gradientClip: Float = 5
    /// Epochs at the start that train only the weights, so every input and primitive is useful
    /// before the architecture is judged (without it the search greedily keeps whatever helps first).
    public var warmupEpochs = 0
    /// Second-order DARTS: one unrolled weight step and a finite-difference Hessian-vector product.
    public var secondOrder = false

    public init() {}
}
