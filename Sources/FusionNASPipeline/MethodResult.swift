import FusionNAS

/// The outcome of one pipeline (self-supervised or supervised) at one label fraction and seed.
public struct MethodResult: Sendable, Codable, Equatable {
    /// `ssl` or `supervised`.
    public var method: String
    public var labelFraction: Double
    public var seed: UInt64
    public var genotype: Genotype
    /// Figures on the labelled validation subset (model selection).
    public var validation: EvaluationResult
    /// Figures on the test split.
    public var test: EvaluationResult
    /// Wall-clock seconds of the whole pipeline.
    public var seconds: Double
    /// For the self-supervised pipeline with the scratch fallback: `pretrained` when the fine-tuned
    /// network was kept, `scratch` when the same genotype trained from scratch on the same labels
    /// scored higher on validation and was reported instead; nil otherwise.
    public var weights: String? = nil
}
