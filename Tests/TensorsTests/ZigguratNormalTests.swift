import Foundation
import Testing
@testable import Tensors

@Suite struct ZigguratNormalTests {
    static let draws: [Double] = {
        var rng = SeededGenerator(seed: 11)
        return (0..<400_000).map { _ in Double(rng.zigguratNormal()) }
    }()

    @Test func momentsAreThoseOfAStandardNormal() {
        let n = Double(Self.draws.count)
        let mean = Self.draws.reduce(0, +) / n
        let variance = Self.draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let kurtosis = Self.draws.reduce(0) { $0 + pow($1 - mean, 4) } / n / (variance * variance)
        #expect(Swift.abs(mean) < 0.01)
        #expect(Swift.abs(variance - 1) < 0.01)
        #expect(Swift.abs(kurtosis - 3) < 0.05)
    }

    /// Kolmogorov-Smirnov distance to the normal CDF, below the 1 % critical value 1.63 / sqrt(n).
    @Test func distributionMatchesTheNormalCDF() {
        let sorted = Self.draws.sorted()
        let n = Double(sorted.count)
        var distance = 0.0
        for (i, x) in sorted.enumerated() {
            let cdf = 0.5 * erfc(-x / 2.0.squareRoot())
            distance = max(distance, Swift.abs(cdf - Double(i) / n), Swift.abs(cdf - Double(i + 1) / n))
        }
        #expect(distance < 1.63 / n.squareRoot())
    }

    /// The tail beyond the base layer (|x| > 3.4426, probability 5.76e-4) is sampled, on both sides.
    @Test func tailBeyondTheBaseLayerIsReached() {
        let upper = Self.draws.filter { $0 > 3.442_62 }.count, lower = Self.draws.filter { $0 < -3.442_62 }.count
        let expected = 400_000 * 2.88e-4
        #expect(Double(upper) > expected * 0.7 && Double(upper) < expected * 1.3)
        #expect(Double(lower) > expected * 0.7 && Double(lower) < expected * 1.3)
    }

    @Test func sameSeedSameStream() {
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5)
        #expect((0..<1000).map { _ in a.zigguratNormal() } == (0..<1000).map { _ in b.zigguratNormal() })
    }
}
