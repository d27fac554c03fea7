/// What one search epoch produced.
public struct SearchEpochRecord: Sendable, Codable, Equatable {
    public var epoch: Int
    /// Mean weight-step loss on the training batches.
    public var trainLoss: Double
    /// Mean architecture-step loss on the held-out batches.
    public var heldOutLoss: Double
    /// The held-out score used to keep the best genotype (higher is better).
    public var score: Double
    public var genotype: Genotype
    /// Softmax architecture weights by name at the end of the epoch.
    public var architectureWeights: [String: [Float]]
    /// With perturbation selection, after the last epoch: the drop of the held-out score when each
    /// option is removed (``PerturbationSelection``), in the layout of `architectureWeights`.
    public var optionImportances: [String: [Float]]? = nil
    public var seconds: Double
}
