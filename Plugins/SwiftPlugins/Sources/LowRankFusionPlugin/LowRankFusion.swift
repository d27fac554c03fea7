import FusionNAS
import Layers
import Tensors

/// Low-rank multimodal fusion (Liu et al., 2018) as a fusion primitive.
///
/// Each input x_i (batch, C, L) is projected to R rank-one factors of C channels by a pointwise
/// convolution whose bias plays the role of the appended constant 1 of tensor fusion; the factors
/// of all inputs are multiplied elementwise and averaged over the rank:
/// `out = (1/R) Σ_r Π_i (W_i^r x_i + b_i^r)`. The multiplicative interaction of tensor fusion costs
/// O(R·C²) per input instead of O(C^n).
///
/// The product is the host's fused `lowRankFusion(_:weights:biases:rank:)`, and `rank` is read by
/// ``LowRankFusionOptions``, as in the built-in `low_rank_tensor`. By design this primitive differs
/// from the built-in around the product: it averages over the rank (the built-in sums and then
/// applies BatchNorm and dropout) and starts its factors near 1 (small weights, bias 1).
///
/// ```swift
/// let fusion = try LowRankFusion(PrimitiveConfiguration(channels: 8, length: 4, options: ["rank": 2]), rng: &rng)
/// let y = fusion([x, z])   // (B, 8, 4)
/// ```
public final class LowRankFusion: Module, FusionPrimitive, @unchecked Sendable {
    /// One (R·C, C) projection and (R·C) bias per input.
    let weights: [Tensor]
    let biases: [Tensor]
    let rank: Int
    let channels: Int

    public init(_ configuration: PrimitiveConfiguration, rng: inout SeededGenerator) throws {
        let rank = try LowRankFusionOptions(configuration, component: "low_rank_fusion").rank
        guard configuration.arity >= 2 else {
            throw ComponentError("low_rank_fusion: needs at least 2 inputs, the search space asks for \(configuration.arity)")
        }
        self.rank = rank
        channels = configuration.channels
        let rows = self.rank * channels
        // Factors start near 1 (bias 1, small weights), so the initial product neither explodes nor vanishes.
        let std = 0.5 / Float(channels).squareRoot()
        weights = (0..<configuration.arity).map { _ in Tensor.randn([rows, configuration.channels], std: std, rng: &rng).requiringGrad() }
        biases = (0..<configuration.arity).map { _ in Tensor(shape: [rows], repeating: 1).requiringGrad() }
        super.init()
    }

    public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
        precondition(inputs.count == weights.count, "low_rank_fusion: built for \(weights.count) inputs, got \(inputs.count)")
        return lowRankFusion(inputs, weights: weights, biases: biases, rank: rank) * (1 / Float(rank))
    }
}
