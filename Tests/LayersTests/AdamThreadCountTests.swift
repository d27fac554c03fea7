import Layers
import Testing
import Tensors

/// Adam's update of a parameter above the parallel-loop threshold (131,075 elements, odd so the
/// chunks are ragged) gives the same bits at 1, 2 and 3 threads.
@Suite(.serialized) struct AdamThreadCountTests {
    func adamSteps(threads: Int) -> [UInt32] {
        let saved = Threading.threads
        defer { Threading.setThreads(saved) }
        Threading.setThreads(threads)
        var rng = SeededGenerator(seed: 11)
        let parameter = Tensor.uniform([131_075], low: -1, high: 1, rng: &rng).requiringGrad()
        let optimizer = Adam(parameters: [parameter], learningRate: 1e-2, weightDecay: 1e-3)
        for step in 0..<3 {
            var gradientRng = SeededGenerator(seed: 100 + UInt64(step))
            parameter.grad = Tensor.uniform([131_075], low: -1, high: 1, rng: &gradientRng)
            optimizer.step()
        }
        return parameter.values.map(\.bitPattern)
    }

    @Test func adamIsTheSameAtOneTwoAndThreeThreads() {
        let one = adamSteps(threads: 1)
        var rng = SeededGenerator(seed: 11)
        let initial = Tensor.uniform([131_075], low: -1, high: 1, rng: &rng).values.map(\.bitPattern)
        #expect(zip(one, initial).filter { $0 != $1 }.count > 131_000, "the steps moved the parameter")
        for threads in [2, 3] { #expect(adamSteps(threads: threads) == one, "\(threads) threads") }
    }
}
