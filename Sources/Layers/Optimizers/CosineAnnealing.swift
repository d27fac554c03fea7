import Foundation

/// Cosine learning-rate decay from a base rate to a minimum over a fixed number of steps
/// (`torch.optim.lr_scheduler.CosineAnnealingLR` without restarts):
/// `lr(t) = min + (base - min) * (1 + cos(π t / T)) / 2`, held at `min` after `T`.
public struct CosineAnnealing: Sendable, Equatable, Codable {
    public var baseLearningRate: Float
    public var minimumLearningRate: Float
    public var totalSteps: Int

    public init(baseLearningRate: Float, minimumLearningRate: Float = 0, totalSteps: Int) {
        precondition(totalSteps > 0, "CosineAnnealing: totalSteps must be positive, got \(totalSteps)")
        self.baseLearningRate = baseLearningRate
        self.minimumLearningRate = minimumLearningRate
        self.totalSteps = totalSteps
    }

    /// The rate for step `step` (0-based; clamped to `0...totalSteps`).
    public func learningRate(at step: Int) -> Float {
        let t = Double(min(max(step, 0), totalSteps)) / Double(totalSteps)
        let cosine = (1 + Foundation.cos(Double.pi * t)) / 2
        return minimumLearningRate + (baseLearningRate - minimumLearningRate) * Float(cosine)
    }
}
