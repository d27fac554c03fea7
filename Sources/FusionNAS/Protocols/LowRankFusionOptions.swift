/// The options of a low-rank fusion primitive (Liu et al., 2018), read and checked in one place, so
/// that the built-in `low_rank_tensor` and plugins built on `lowRankFusion(_:weights:biases:rank:)`
/// (such as `low_rank_fusion`) accept and refuse the same values.
///
/// The product itself has one definition too, the fused op in Tensors; primitives differ only in
/// what they put around it (initialisation, normalisation), each saying so in its documentation.
public struct LowRankFusionOptions: Sendable, Equatable {
    /// The rank when the configuration names none.
    public static let defaultRank = 4

    /// R: the number of rank-one factors each input is projected to.
    public let rank: Int

    /// Reads option `rank` of `configuration` (default ``defaultRank``).
    ///
    /// - Throws: ``ComponentError`` (``ComponentError/Problem/invalidOption(component:)``) unless
    ///   the rank is a whole number ≥ 1: a rank of 2.5 or 0 is a mistake to report, not to round.
    public init(_ configuration: PrimitiveConfiguration, component: String) throws {
        let rank = configuration.options["rank"] ?? Double(Self.defaultRank)
        guard rank.isFinite, rank >= 1, rank == rank.rounded(), rank <= Double(Int32.max) else {
            throw ComponentError(
                .invalidOption(component: component),
                "\(component): option 'rank' must be a whole number >= 1 (default \(Self.defaultRank)), got \(rank)")
        }
        self.rank = Int(rank)
    }
}
