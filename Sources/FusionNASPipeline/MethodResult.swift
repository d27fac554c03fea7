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
}
