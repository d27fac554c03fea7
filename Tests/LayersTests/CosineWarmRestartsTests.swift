import Foundation
import Layers
import Testing

/// SGDR as BM-NAS's `LRCosineAnnealingScheduler` computes it (models/auxiliary/scheduler.py).
@Suite struct CosineWarmRestartsTests {
    static func cosine(_ tCur: Double, _ period: Double) -> Float {
        Float(1e-6 + 0.5 * (1e-3 - 1e-6) * (1 + cos(Double.pi * tCur / period)))
    }

    @Test func restartsAtTheEndOfEachPeriodAndDoublesIt() {
        // 4 batches per epoch, T_0 = 1 epoch, T_mult = 2 (BM-NAS's --Ti 1 --Tm 2).
        let schedule = CosineWarmRestarts(
            baseLearningRate: 1e-3, minimumLearningRate: 1e-6, firstPeriod: 1, multiplier: 2, batchesPerEpoch: 4)
        let rates = (0..<14).map { schedule.learningRate(at: $0) }
        // Batches 0-3 anneal over one epoch, batch 4 reaches the minimum and restarts the counter;
        // batches 5-12 anneal over two epochs (8 batches), batch 13 restarts again.
        let expected: [Float] = [
            Self.cosine(0, 1), Self.cosine(0.25, 1), Self.cosine(0.5, 1), Self.cosine(0.75, 1), 1e-6,
            Self.cosine(0, 2), Self.cosine(0.25, 2), Self.cosine(0.5, 2), Self.cosine(0.75, 2),
            Self.cosine(1, 2), Self.cosine(1.25, 2), Self.cosine(1.5, 2), Self.cosine(1.75, 2), 1e-6,
        ]
        for (i, (r, e)) in zip(rates, expected).enumerated() {
            #expect(abs(r - e) <= 1e-9, "batch \(i): \(r), expected \(e)")
        }
        #expect(rates[0] == 1e-3 && rates[5] == 1e-3)
    }

    @Test func withoutAnExactEpochTheRatePassesTheMinimumAndRises() {
        // 10 / 3 batches per epoch never lands on T_cur = 1, so BM-NAS's test `eta <= eta_min + 1e-10`
        // never fires: the cosine goes on past π.
        let schedule = CosineWarmRestarts(
            baseLearningRate: 1e-3, minimumLearningRate: 1e-6, firstPeriod: 1, multiplier: 2, batchesPerEpoch: 10.0 / 3)
        let rates = (0..<7).map { schedule.learningRate(at: $0) }
        #expect(rates[3] < rates[2] && rates[4] > rates[3], "\(rates)")
        #expect(abs(rates[4] - Self.cosine(4 * 0.3, 1)) <= 1e-9)
    }
}
