import FusionNASPipeline
import Testing

@Suite struct RankCorrelationTests {
    @Test func perfectAgreementAndReversal() {
        let x: [Double] = [1, 2, 3, 4, 5]
        #expect(RankCorrelation.kendallTau(x, x.map { $0 * $0 }) == 1)
        #expect(RankCorrelation.spearmanRho(x, x.map { -$0 }) == -1)
    }

    /// Hand-computed: x = 1..5, y = 3, 1, 2, 5, 4: concordant 7, discordant 3, so τ = 0.4;
    /// d² = 4, 1, 1, 1, 1, so ρ = 1 - 6·8 / (5·24) = 0.6.
    @Test func handComputedValues() {
        let x: [Double] = [1, 2, 3, 4, 5], y: [Double] = [3, 1, 2, 5, 4]
        #expect(abs(RankCorrelation.kendallTau(x, y) - 0.4) < 1e-12)
        #expect(abs(RankCorrelation.spearmanRho(x, y) - 0.6) < 1e-12)
    }

    /// Ties: τ-b's denominator and mean ranks (scipy.stats.kendalltau and spearmanr give these).
    @Test func tiesFollowTauBAndMeanRanks() {
        #expect(RankCorrelation.ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
        let x: [Double] = [1, 2, 2, 3], y: [Double] = [1, 2, 3, 4]
        // 5 concordant, 0 discordant, 1 tie in x: 5 / sqrt(5 · 6).
        #expect(abs(RankCorrelation.kendallTau(x, y) - 5 / 30.0.squareRoot()) < 1e-12)
        #expect(abs(RankCorrelation.spearmanRho(x, y) - 0.9486832980505138) < 1e-12)
        #expect(RankCorrelation.kendallTau([1, 1, 1], [1, 2, 3]) == 0)
    }
}
