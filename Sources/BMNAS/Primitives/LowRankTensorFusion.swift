import FusionNAS
import Layers
import Tensors

/// Low-rank multimodal tensor fusion (Liu et al., ACL 2018, as in MultiBench), applied at every position:
/// z = sum over r of (A_r x + a_r) ⊙ (B_r y + b_r), a rank-R factorisation of the outer-product fusion.
///
/// Multiplicative in its inputs, which additive primitives (Sum, ConcatFC) cannot express.
/// Option `rank` (default 4). Followed by BatchNorm like BM-NAS's ConcatFC and LinearGLU, so its
/// output has the same scale as theirs: without it the mixture weights favour the primitives
/// whose outputs are larger, not better.
public final class LowRankTensorFusion: Module, FusionPrimitive, @unchecked Sendable {
    let projections: [Conv1d]
    let rank: Int
    let channels: Int
    let norm: BatchNorm1d
    let dropout: Dropout

    public init(_ configuration: PrimitiveConfiguration, rng: inout SeededGenerator) {
        let rank = max(1, Int(configuration.options["rank"] ?? 4))
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
        let fused = lowRankFusion(
            inputs, weights: projections.map(\.weight), biases: projections.map { $0.bias! }, rank: rank)
        return dropout(norm(fused))
    }
}
