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
        let rank = configuration.options["rank"] ?? 4
        guard rank >= 1, rank == rank.rounded() else {
            throw ComponentError("low_rank_fusion: option 'rank' must be a positive integer, got \(rank)")
        }
        guard configuration.arity >= 2 else {
            throw ComponentError("low_rank_fusion: needs at least 2 inputs, the search space asks for \(configuration.arity)")
        }
        self.rank = Int(rank)
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
        let batch = inputs[0].shape[0], length = inputs[0].shape[2]
        var product: Tensor? = nil
        for (i, x) in inputs.enumerated() {
            let factors = pointwiseConv1d(x, weight: weights[i], bias: biases[i]).reshaped([batch, rank, channels, length])
            product = product.map { $0 * factors } ?? factors
        }
        return product!.mean(axis: 1)
    }
}
