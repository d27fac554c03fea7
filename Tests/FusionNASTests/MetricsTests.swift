import FusionNAS
import Testing
import Tensors

@Suite struct MetricsTests {
    @Test func accuracyAndMacroF1ByHand() {
        let logits = Tensor(shape: [4, 3], values: [5, 0, 0, 0, 5, 0, 0, 5, 0, 0, 0, 5])
        let labels = [0, 1, 2, 2]
        #expect(Metrics.argmaxRows(logits) == [0, 1, 1, 2])
        #expect(Metrics.accuracy(logits: logits, labels: labels) == 0.75)
        // Class 0: F1 1; class 1: tp 1, fp 1 -> 2/3; class 2: tp 1, fn 1 -> 2/3.
        let macro = Metrics.macroF1(predictions: [0, 1, 1, 2], labels: labels, classes: 3)
        #expect(Swift.abs(macro - (1 + 2.0 / 3 + 2.0 / 3) / 3) < 1e-12)
    }

    @Test func multiLabelF1sByHand() {
        // Two samples, three labels; logits above 0 mean probability above 0.5.
        let logits = Tensor(shape: [2, 3], values: [3, -3, 3, 3, 3, -3])
        let targets = Tensor(shape: [2, 3], values: [1, 0, 0, 1, 1, 1])
        let f = Metrics.multiLabelF1(logits: logits, targets: targets, threshold: 0.5)
        // Label 0: tp 2 -> 1. Label 1: tp 1 -> 1. Label 2: fp 1, fn 1 -> 0.
        #expect(Swift.abs(f.macro - 2.0 / 3) < 1e-12)
        // Support 2, 1, 1: (2 * 1 + 1 * 1 + 1 * 0) / 4.
        #expect(Swift.abs(f.weighted - 0.75) < 1e-12)
        // Micro: tp 3, fp 1, fn 1 -> 6 / 8.
        #expect(Swift.abs(f.micro - 0.75) < 1e-12)
        // Samples: sample 0 tp 1 fp 1 -> 2/3; sample 1 tp 2 fn 1 -> 4/5.
        #expect(Swift.abs(f.samples - (2.0 / 3 + 0.8) / 2) < 1e-12)
    }

    @Test func thresholdIsChosenOnTheGivenData() {
        // Positives have probability ~0.2, negatives ~0.05: a threshold of 0.3 (BM-NAS) misses them all.
        let logits = Tensor(shape: [4, 1], values: [-1.4, -1.4, -3, -3])
        let targets = Tensor(shape: [4, 1], values: [1, 1, 0, 0])
        #expect(Metrics.multiLabelF1(logits: logits, targets: targets, threshold: 0.3).weighted == 0)
        let best = Metrics.bestThreshold(logits: logits, targets: targets)
        #expect(best < 0.2, "\(best)")
        #expect(Metrics.multiLabelF1(logits: logits, targets: targets, threshold: best).weighted == 1)
    }
}
