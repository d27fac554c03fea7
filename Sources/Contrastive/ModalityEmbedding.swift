import FusionNAS
import Layers
import Tensors

/// One modality's embedding for CLIP-style objectives: each level (batch, C_i, L_i) is averaged over
/// its length, the levels' means are concatenated (batch, Σ C_i), and a linear layer projects them
/// to the objective's dimension.
///
/// Averaging keeps the embedding independent of the lengths, and the linear layer (trained with the
/// network) lets each modality meet the fused projection in a shared space.
public final class ModalityEmbedding: Module, @unchecked Sendable {
    /// The shapes of the levels this modality's encoder produces.
    public let levelShapes: [FeatureLevelShape]
    /// Σ C_i -> outputs.
    public let projection: Linear

    public init(levelShapes: [FeatureLevelShape], outputs: Int, rng: inout SeededGenerator) {
        precondition(!levelShapes.isEmpty, "ModalityEmbedding: a modality needs at least one level")
        self.levelShapes = levelShapes
        projection = Linear(levelShapes.reduce(0) { $0 + $1.channels }, outputs, rng: &rng)
        super.init()
    }

    /// The levels (batch, C_i, L_i) of one modality -> (batch, outputs).
    public func callAsFunction(_ levels: [Tensor]) -> Tensor {
        precondition(
            levels.count == levelShapes.count,
            "ModalityEmbedding: \(levels.count) levels given, expected \(levelShapes.count) \(levelShapes)")
        let pooled = levels.map { level in level.rank == 3 ? level.mean(axis: 2) : level }
        return projection(pooled.count == 1 ? pooled[0] : Tensor.concat(pooled, axis: 1))
    }
}
