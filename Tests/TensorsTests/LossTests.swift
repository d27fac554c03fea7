import Foundation
import Testing
@testable import Tensors

@Suite struct LossTests {
    @Test func softmaxCrossEntropyValueAndGradient() {
        let logits = Tensor(shape: [2, 3], values: [1, 2, 3, 0, 0, 0])
        // Row 0, label 2: -log(0.66524096); row 1, label 0: log 3.
        let loss = softmaxCrossEntropy(logits: logits, labels: [2, 0]).item
        #expect(Swift.abs(loss - Float((0.40760596 + 1.09861229) / 2)) < 1e-5)
        expectGradientsMatch([uniformTensor([3, 4], seed: 131, low: -2, high: 2)]) {
            softmaxCrossEntropy(logits: $0[0], labels: [3, 0, 3])
        }
        // Matches the composition logSoftmax + pick.
        let x = uniformTensor([3, 4], seed: 132)
        let composed = -(x.logSoftmax().values[3] + x.logSoftmax().values[4] + x.logSoftmax().values[11]) / 3
        #expect(Swift.abs(softmaxCrossEntropy(logits: x, labels: [3, 0, 3]).item - composed) < 1e-5)
    }

    @Test func softmaxCrossEntropyStableForHugeLogits() {
        let logits = Tensor(shape: [2, 3], values: [10_000, 0, -10_000, 10_000, 0, -10_000]).requiringGrad()
        let loss = softmaxCrossEntropy(logits: logits, labels: [0, 1])
        #expect(loss.item.isFinite)
        #expect(Swift.abs(loss.item - 5_000) < 1e-2)
        loss.backward()
        #expect(logits.grad!.values.allSatisfy { $0.isFinite })
        expectClose(logits.grad!.values, [0, 0, 0, 0.5, -0.5, 0])
    }

    /// A row of all -inf logits is scored as softmax defines it (uniform): log(classes), with a zero
    /// gradient, where exp(-inf - -inf) gave NaN; the other row keeps its loss and gradient.
    @Test func softmaxCrossEntropyOverAFullyMaskedRow() {
        let inf = Float.infinity
        let logits = Tensor(shape: [2, 3], values: [-inf, -inf, -inf, 1, 2, 3]).requiringGrad()
        let loss = softmaxCrossEntropy(logits: logits, labels: [1, 2])
        #expect(Swift.abs(loss.item - Float((1.09861229 + 0.40760596) / 2)) < 1e-6, "\(loss.item)")
        // Equal to the composition with logSoftmax, which defines the masked row the same way.
        let logProbabilities = logits.logSoftmax().values
        #expect(Swift.abs(loss.item + (logProbabilities[1] + logProbabilities[5]) / 2) < 1e-6)
        loss.backward()
        let grad = logits.grad!.values
        #expect(grad[0..<3] == [0, 0, 0], "\(grad)")
        expectClose(Array(grad[3...]), [0.09003057 / 2, 0.24472847 / 2, (0.66524096 - 1) / 2])
    }

    @Test func binaryCrossEntropyValueAndGradients() {
        let logits = Tensor(shape: [2], values: [0, 2]), targets = Tensor(shape: [2], values: [1, 0.25])
        // -log(0.5) and 2 - 0.5 + log1p(e^-2).
        let expected = (0.69314718 + 1.5 + 0.12692801) / 2
        #expect(Swift.abs(binaryCrossEntropyWithLogits(logits: logits, targets: targets).item - Float(expected)) < 1e-5)
        expectGradientsMatch([uniformTensor([3, 4], seed: 133, low: -3, high: 3), uniformTensor([3, 4], seed: 134, low: 0, high: 1)]) {
            binaryCrossEntropyWithLogits(logits: $0[0], targets: $0[1])
        }
    }

    @Test func binaryCrossEntropyStableForLargeLogits() {
        let logits = Tensor(shape: [4], values: [100, -100, 100, -100]).requiringGrad()
        let right = binaryCrossEntropyWithLogits(logits: logits, targets: Tensor(shape: [4], values: [1, 0, 1, 0]))
        #expect(right.item.isFinite && right.item < 1e-6)
        let wrong = binaryCrossEntropyWithLogits(logits: logits, targets: Tensor(shape: [4], values: [0, 1, 0, 1]))
        #expect(Swift.abs(wrong.item - 100) < 1e-3)
        wrong.backward()
        expectClose(logits.grad!.values, [0.25, -0.25, 0.25, -0.25])
    }

    @Test func meanSquaredErrorValueAndGradients() {
        let p = Tensor(shape: [2, 2], values: [1, 2, 3, 4]), t = Tensor(shape: [2, 2], values: [1, 0, 3, 1])
        #expect(meanSquaredError(p, t).item == 13.0 / 4)
        expectGradientsMatch([uniformTensor([3, 2], seed: 135), uniformTensor([3, 2], seed: 136)]) {
            meanSquaredError($0[0], $0[1])
        }
    }
}
