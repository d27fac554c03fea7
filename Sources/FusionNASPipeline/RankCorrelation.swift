import Foundation

/// Rank correlations between two paired samples, as UnNAS reports them between a proxy score and
/// the accuracy architectures reach.
public enum RankCorrelation {
    /// Kendall's τ-b: (concordant - discordant) / sqrt((n0 - ties in x)(n0 - ties in y)) over all
    /// pairs, n0 = n(n-1)/2; 0 when either sample is constant. Ties count as neither.
    public static func kendallTau(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "kendallTau: \(x.count) and \(y.count) values")
        var concordant = 0.0, discordant = 0.0, tiesX = 0.0, tiesY = 0.0
        for i in 0..<x.count {
            for j in (i + 1)..<max(i + 1, x.count) {
                let dx = x[i] - x[j], dy = y[i] - y[j]
                if dx == 0 { tiesX += 1 }
                if dy == 0 { tiesY += 1 }
                if dx == 0 || dy == 0 { continue }
                if (dx > 0) == (dy > 0) { concordant += 1 } else { discordant += 1 }
            }
        }
        let pairs = Double(x.count * (x.count - 1) / 2)
        let denominator = ((pairs - tiesX) * (pairs - tiesY)).squareRoot()
        return denominator > 0 ? (concordant - discordant) / denominator : 0
    }

    /// The two-sided p-value of Kendall's τ under independence, from its normal approximation
    /// (variance 2(2n + 5) / (9n(n - 1)), no tie correction): how often a τ at least this far from
    /// 0 arises when the two samples are unrelated. 1 for fewer than 3 values.
    public static func kendallTauPValue(_ tau: Double, count n: Int) -> Double {
        guard n >= 3, tau.isFinite else { return 1 }
        let variance = 2 * Double(2 * n + 5) / (9 * Double(n) * Double(n - 1))
        return erfc(abs(tau) / (2 * variance).squareRoot())
    }

    /// Spearman's ρ: Pearson's correlation of the ranks (tied values share their mean rank); 0 when
    /// either sample is constant.
    public static func spearmanRho(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "spearmanRho: \(x.count) and \(y.count) values")
        return pearson(ranks(x), ranks(y))
    }

    /// 1-based ranks, ties given the mean of the ranks they span.
    public static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
            let mean = Double(start + end) / 2 + 1
            for k in start...end { ranks[order[k]] = mean }
            start = end + 1
        }
        return ranks
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        guard n > 1 else { return 0 }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }
}
