import Foundation

/// Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter, ICLR 2017), computed exactly as
/// BM-NAS's `LRCosineAnnealingScheduler` (models/auxiliary/scheduler.py, `step()`), which it calls
/// once before every weight batch:
///
/// - T_cur = (batches since the last restart) / batchesPerEpoch, in epochs, taken before counting
///   the batch, so the first batch of a period runs at the base rate;
/// - rate = minimum + (base - minimum) · (1 + cos(π · T_cur / T_i)) / 2;
/// - when the rate reaches the minimum (within 1e-10) the period restarts, T_i grows by `multiplier`.
///
/// `batchesPerEpoch` is BM-NAS's `dataset_size / batch_size`, a real number: when it does not land
/// on T_i exactly, the rate passes its minimum without restarting and rises again, as there.
public struct CosineWarmRestarts: Sendable, Equatable, Codable {
    public var baseLearningRate: Float
    public var minimumLearningRate: Float
    /// The first period T_0, in epochs.
    public var firstPeriod: Double
    /// T_{i+1} = multiplier · T_i.
    public var multiplier: Double
    public var batchesPerEpoch: Double

    public init(
        baseLearningRate: Float, minimumLearningRate: Float, firstPeriod: Double, multiplier: Double,
        batchesPerEpoch: Double
    ) {
        precondition(firstPeriod > 0 && multiplier >= 1 && batchesPerEpoch > 0,
                     "CosineWarmRestarts: needs firstPeriod > 0, multiplier >= 1 and batchesPerEpoch > 0")
        self.baseLearningRate = baseLearningRate
        self.minimumLearningRate = minimumLearningRate
        self.firstPeriod = firstPeriod
        self.multiplier = multiplier
        self.batchesPerEpoch = batchesPerEpoch
    }

    /// The rate of weight batch `step` (0-based, counted over the whole search). Replays the
    /// scheduler from the start, so it needs no state of its own and a resumed search gets the
    /// same rates.
    public func learningRate(at step: Int) -> Float {
        let base = Double(baseLearningRate), minimum = Double(minimumLearningRate)
        var period = firstPeriod, counter = 0.0, rate = base
        for _ in 0...max(step, 0) {
            let current = counter / batchesPerEpoch
            counter += 1
            rate = minimum + 0.5 * (base - minimum) * (1 + Foundation.cos(Double.pi * current / period))
            if rate <= minimum + 1e-10 {
                period *= multiplier
                counter = 0
            }
        }
        return Float(rate)
    }
}
