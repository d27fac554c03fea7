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

    /// n = 20: the standard deviation of τ under independence is sqrt(90 / 3420) = 0.1622, so
    /// τ = 0.1622 · 1.96 has p = 0.05.
    @Test func kendallPValueFollowsTheNormalApproximation() {
        let sd = (90.0 / 3420).squareRoot()
        #expect(abs(RankCorrelation.kendallTauPValue(1.959964 * sd, count: 20) - 0.05) < 1e-4)
        #expect(RankCorrelation.kendallTauPValue(0, count: 20) == 1)
        #expect(RankCorrelation.kendallTauPValue(0.9, count: 2) == 1)
    }
}
