/// Hyper-parameters for training a found network (pretraining or fine-tuning).
public struct TrainingSettings: Sendable, Codable, Equatable {
    public var epochs = 20
    public var batchSize = 64
    /// Adam with cosine annealing from this rate ...
    public var learningRate: Float = 1e-3
    /// ... down to this one.
    public var minimumLearningRate: Float = 1e-6
    public var weightDecay: Float = 1e-4
    public var gradientClip: Float = 5

    public init(epochs: Int = 20, batchSize: Int = 64, learningRate: Float = 1e-3) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
    }
}

/// What one training epoch produced.
public struct TrainingEpochRecord: Sendable, Codable, Equatable {
    public var epoch: Int
    public var trainLoss: Double
    /// The validation score (higher is better), when a validation set was given.
    public var validationScore: Double?
    public var seconds: Double
}
