import FusionNAS
import Layers
import Tensors

/// Low-rank multimodal tensor fusion (Liu et al., ACL 2018, as in MultiBench), applied at every position:
/// z = sum over r of (A_r x + a_r) ⊙ (B_r y + b_r), a rank-R factorisation of the outer-product fusion.
///
/// Multiplicative in its inputs, which additive primitives (Sum, ConcatFC) cannot express.
/// Option `rank` (default 4, checked by ``LowRankFusionOptions``). Followed by BatchNorm like
/// BM-NAS's ConcatFC and LinearGLU, so its output has the same scale as theirs: without it the
/// mixture weights favour the primitives whose outputs are larger, not better. (The
/// `low_rank_fusion` plugin averages over the rank instead and has no normalisation; the product
/// is the same, `lowRankFusion(_:weights:biases:rank:)`.)
public final class LowRankTensorFusion: Module, FusionPrimitive, @unchecked Sendable {
    let projections: [Conv1d]
    let rank: Int
    let channels: Int
    let norm: BatchNorm1d
    let dropout: Dropout

    /// - Throws: ``ComponentError`` when option `rank` is not a whole number ≥ 1.
    public init(_ configuration: PrimitiveConfiguration, rng: inout SeededGenerator) throws {
        let rank = try LowRankFusionOptions(configuration, component: "low_rank_tensor").rank
        self.rank = rank
        channels = configuration.channels
        projections = (0..<configuration.arity).map { _ in
            Conv1d(inChannels: configuration.channels, outChannels: configuration.channels * rank, kernelSize: 1, rng: &rng)
        }
        norm = BatchNorm1d(configuration.channels)
        dropout = Dropout(configuration.dropout, rng: &rng)
        super.init()
    }

    public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
        // The projections' parameters live in Conv1d layers (their names and initialisation), but the
        // product is one fused op: see `lowRankFusion(_:weights:biases:rank:)` for why.
        // Every projection is built with its bias; the op checks that there is one per input.
        let fused = lowRankFusion(
            inputs, weights: projections.map(\.weight), biases: projections.compactMap(\.bias), rank: rank)
        return dropout(norm(fused))
    }
}
