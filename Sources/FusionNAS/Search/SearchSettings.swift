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
    /// Global gradient-norm clip of the weight step (DARTS uses 5; infinity: none, as BM-NAS).
    public var gradientClip: Float = 5
    /// Epochs at the start that train only the weights, so every input and primitive is useful
    /// before the architecture is judged (without it the search greedily keeps whatever helps first).
    public var warmupEpochs = 0
    /// Second-order DARTS: one unrolled weight step and a finite-difference Hessian-vector product.
    public var secondOrder = false
    /// β-DARTS's Beta-Decay regularisation (Ye et al., CVPR 2022): the architecture loss gains
    /// λ · mean over choices of logsumexp(α), λ growing linearly with the epoch to this value in the
    /// last (λ · e / epochs in epoch e, counted from 1), as in β-DARTS's code. 0 turns it off. It keeps the softmax weights of a choice from running away
    /// onto whichever option helps first.
    public var betaDecay: Float = 0
    /// How the genotype is read off the trained supernet.
    public var selection = GenotypeSelection.argmax
    /// Whether the architecture is updated after every weight batch or after every weight epoch.
    public var alternation = SearchAlternation.everyBatch
    /// One cosine annealing, or SGDR's warm restarts.
    public var weightSchedule = WeightSchedule.cosine

    /// Takes a search space's alternation, schedule, clipping and architecture learning rate.
    public mutating func apply(_ defaults: SearchDefaults) {
        alternation = defaults.alternation
        weightSchedule = defaults.weightSchedule
        gradientClip = defaults.gradientClip ?? .infinity
        architectureLearningRate = defaults.architectureLearningRate
    }

    public init() {}
}

/// How a search turns its trained supernet into a genotype.
public enum GenotypeSelection: String, Sendable, Codable, CaseIterable {
    /// DARTS: the option with the largest architecture weight in every choice.
    case argmax
    /// DARTS-PT (Wang et al., ICLR 2021): the option whose removal from the trained supernet hurts
    /// the held-out loss most, in every choice.
    case perturbation
}
