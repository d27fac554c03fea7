import FusionNAS
import Layers
import Tensors

/// Barlow Twins (Zbontar et al., 2021): makes the cross-correlation matrix of two augmented views'
/// embeddings close to the identity.
///
/// With each view standardised over the batch, C = z1ᵀ z2 / N (D × D) and
/// `loss = Σ_i (1 − C_ii)² + λ Σ_{i≠j} C_ij²`. The first term makes the views agree, the second
/// decorrelates the embedding's dimensions, so no negatives are needed.
///
/// Defaults: λ (`lambda`) = 0.0051 as in the paper; `epsilon` = 1e-5 inside the standard deviation.
///
/// ```swift
/// let objective = try BarlowTwins(lambda: 0.005)
/// let loss = try objective.loss(ObjectiveEmbeddings(views: [z1, z2]))
/// ```
public final class BarlowTwins: Module, SSLObjective, @unchecked Sendable {
    public let requiredViews = ObjectiveViews.augmentedPair
    /// Weight of the off-diagonal (redundancy reduction) term.
    public let lambda: Float
    /// Added to the variance before the square root.
    public let epsilon: Float

    public init(lambda: Double = 0.0051, epsilon: Double = 1e-5) throws {
        guard lambda.isFinite, lambda >= 0 else {
            throw ComponentError("barlow_twins: lambda must be a finite number >= 0, got \(lambda)")
        }
        guard epsilon.isFinite, epsilon > 0 else {
            throw ComponentError("barlow_twins: epsilon must be > 0, got \(epsilon)")
        }
        self.lambda = Float(lambda)
        self.epsilon = Float(epsilon)
        super.init()
    }

    public func loss(_ embeddings: ObjectiveEmbeddings) throws -> Tensor {
        guard embeddings.views.count == 2 else {
            throw ComponentError("barlow_twins: needs 2 views, got \(embeddings.views.count)")
        }
        let (z1, z2) = (embeddings.views[0], embeddings.views[1])
        guard z1.rank == 2, z1.shape == z2.shape else {
            throw ComponentError("barlow_twins: views must both be (batch, D), got \(z1.shape) and \(z2.shape)")
        }
        let batch = z1.shape[0]
        guard batch >= 2 else {
            throw ComponentError("barlow_twins: a batch of \(batch) has no variance to standardise; use a batch of at least 2")
        }
        let a = standardized(z1), b = standardized(z2)
        let correlation = a.matmul(b, transposeSelf: true) / Float(batch)  // (D, D)
        let diagonal = (a * b).sum(axis: 0) / Float(batch)  // C_ii
        let onDiagonal = (1 - diagonal).square().sum()
        let offDiagonal = correlation.square().sum() - diagonal.square().sum()
        return onDiagonal + lambda * offDiagonal
    }

    /// Zero mean and unit variance per dimension, over the batch.
    func standardized(_ z: Tensor) -> Tensor {
        let centered = z - z.mean(axis: 0, keepDims: true)
        let std = (centered.square().mean(axis: 0, keepDims: true) + epsilon).sqrt()
        return centered / std
    }
}
