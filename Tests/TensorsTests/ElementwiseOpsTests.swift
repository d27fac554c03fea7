import Foundation
import Testing
@testable import Tensors

@Suite struct DropoutTests {
    @Test func identityWhenNotTrainingOrZeroProbability() {
        let x = uniformTensor([3, 4], seed: 121)
        var rng = SeededGenerator(seed: 1)
        #expect(x.dropout(0.5, training: false, rng: &rng).values == x.values)
        #expect(x.dropout(0, training: true, rng: &rng).values == x.values)
        #expect(rng == SeededGenerator(seed: 1))
    }

    @Test func keptElementsAreScaled() {
        let x = Tensor.ones([10_000])
        var rng = SeededGenerator(seed: 2)
        let y = x.dropout(0.25, training: true, rng: &rng).values
        #expect(y.allSatisfy { $0 == 0 || Swift.abs($0 - 4.0 / 3) < 1e-6 })
        let dropped = Double(y.filter { $0 == 0 }.count) / Double(y.count)
        #expect(Swift.abs(dropped - 0.25) < 0.02)
        var all = SeededGenerator(seed: 3)
        #expect(x.dropout(1, training: true, rng: &all).values.allSatisfy { $0 == 0 })
    }

    @Test func gradientUsesTheSameMask() {
        expectGradientsMatch([uniformTensor([4, 5], seed: 122)]) { t in
            var rng = SeededGenerator(seed: 9)
            return t[0].dropout(0.4, training: true, rng: &rng)
        }
    }
}

@Suite struct GLUTests {
    @Test func forwardValues() {
        // sigmoid(0) = 0.5 and sigmoid(log 3) = 0.75.
        let x = Tensor(shape: [1, 4], values: [1, 2, 0, Float(Foundation.log(3.0))])
        expectClose(x.glu(axis: 1).values, [0.5, 1.5])
        let columns = Tensor(shape: [2, 1], values: [3, 0])
        expectClose(columns.glu(axis: 0).values, [1.5])
    }

    @Test(arguments: [0, 1, 2])
    func gradients(axis: Int) {
        expectGradientsMatch([uniformTensor([2, 4, 2], seed: 123, low: -2, high: 2)]) { $0[0].glu(axis: axis) }
    }
}

@Suite struct L2NormalizeTests {
    @Test func forwardValues() {
        let x = Tensor(shape: [2, 2], values: [3, 4, 0, 0])
        expectClose(x.l2Normalized().values, [0.6, 0.8, 0, 0])
        expectClose(x.l2Normalized(axis: 0).values, [1, 1, 0, 0])
    }

    @Test(arguments: [0, 1, -1])
    func gradients(axis: Int) {
        expectGradientsMatch([uniformTensor([3, 4], seed: 124)]) { $0[0].l2Normalized(axis: axis) }
    }

    @Test func tinyVectorsAreDividedByEpsilon() {
        let x = Tensor(shape: [1, 2], values: [1e-4, 0]).requiringGrad()
        let y = x.l2Normalized(epsilon: 1e-2)
        expectClose(y.values, [1e-2, 0])
        y.sum().backward()
        expectClose(x.grad!.values, [100, 100])
    }
}
