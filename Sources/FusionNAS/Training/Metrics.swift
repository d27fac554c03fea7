import Foundation
import Tensors

/// Classification metrics. Multi-class: accuracy and macro F1. Multi-label: weighted, macro, micro and
/// samples F1 at a decision threshold chosen on validation data (BM-NAS fixes 0.3).
public enum Metrics {
    /// Fraction of argmax predictions equal to the labels.
    public static func accuracy(logits: Tensor, labels: [Int]) -> Double {
        let predictions = argmaxRows(logits)
        guard !labels.isEmpty else { return 0 }
        return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }

    /// The argmax of each row of a (batch, classes) tensor.
    public static func argmaxRows(_ logits: Tensor) -> [Int] {
        let n = logits.shape[0], c = logits.shape[1]
        let p = logits.data
        return (0..<n).map { i in
            var best = 0
            for j in 1..<max(c, 1) where p[i * c + j] > p[i * c + best] { best = j }
            return best
        }
    }

    /// Unweighted mean of per-class F1 over the classes present in labels or predictions.
    public static func macroF1(predictions: [Int], labels: [Int], classes: Int) -> Double {
        var tp = [Int](repeating: 0, count: classes), fp = tp, fn = tp
        for (p, l) in zip(predictions, labels) {
            if p == l { tp[p] += 1 } else { fp[p] += 1; fn[l] += 1 }
        }
        var sum = 0.0, counted = 0
        for c in 0..<classes where tp[c] + fp[c] + fn[c] > 0 {
            sum += f1(tp: tp[c], fp: fp[c], fn: fn[c])
            counted += 1
        }
        return counted == 0 ? 0 : sum / Double(counted)
    }

    static func f1(tp: Int, fp: Int, fn: Int) -> Double {
        let denominator = 2 * tp + fp + fn
        return denominator == 0 ? 0 : 2 * Double(tp) / Double(denominator)
    }

    /// The four multi-label F1 scores of sigmoid(logits) >= threshold against 0/1 targets.
    public struct MultiLabelF1: Sendable, Codable, Equatable {
        public var weighted: Double
        public var macro: Double
        public var micro: Double
        public var samples: Double
    }

    public static func multiLabelF1(logits: Tensor, targets: Tensor, threshold: Double) -> MultiLabelF1 {
        let n = logits.shape[0], k = logits.shape[1]
        let p = logits.data, t = targets.data
        let cut = Float(Foundation.log(threshold / (1 - threshold)))  // sigmoid(x) >= th  <=>  x >= logit(th)
        var tp = [Int](repeating: 0, count: k), fp = tp, fn = tp, support = tp
        var samplesSum = 0.0
        for i in 0..<n {
            var stp = 0, sfp = 0, sfn = 0
            for j in 0..<k {
                let predicted = p[i * k + j] >= cut
                let actual = t[i * k + j] > 0.5
                if actual { support[j] += 1 }
                switch (predicted, actual) {
                case (true, true): tp[j] += 1; stp += 1
                case (true, false): fp[j] += 1; sfp += 1
                case (false, true): fn[j] += 1; sfn += 1
                default: break
                }
            }
            samplesSum += (stp + sfp + sfn) == 0 ? 1 : f1(tp: stp, fp: sfp, fn: sfn)
        }
        let perLabel = (0..<k).map { f1(tp: tp[$0], fp: fp[$0], fn: fn[$0]) }
        let totalSupport = support.reduce(0, +)
        let weighted = totalSupport == 0 ? 0 : (0..<k).reduce(0.0) { $0 + perLabel[$1] * Double(support[$1]) } / Double(totalSupport)
        return MultiLabelF1(
            weighted: weighted,
            macro: perLabel.reduce(0, +) / Double(max(k, 1)),
            micro: f1(tp: tp.reduce(0, +), fp: fp.reduce(0, +), fn: fn.reduce(0, +)),
            samples: n == 0 ? 0 : samplesSum / Double(n))
    }

    /// The threshold in 0.05 ... 0.95 that maximises weighted F1 on validation data.
    public static func bestThreshold(logits: Tensor, targets: Tensor) -> Double {
        var best = (threshold: 0.5, score: -1.0)
        for step in 1...19 {
            let th = Double(step) * 0.05
            let score = multiLabelF1(logits: logits, targets: targets, threshold: th).weighted
            if score > best.score { best = (th, score) }
        }
        return best.threshold
    }
}
