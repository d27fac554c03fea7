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
