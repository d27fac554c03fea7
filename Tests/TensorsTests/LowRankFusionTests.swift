import Testing
@testable import Tensors

@Suite struct LowRankFusionTests {
    /// The fused op equals projecting with pointwise convolutions, multiplying and summing the R groups.
    @Test(arguments: [2, 3])
    func matchesTheComposedDefinition(arity: Int) {
        let (batch, channels, length, rank) = (3, 4, 5, 2)
        let inputs = (0..<arity).map { uniformTensor([batch, channels, length], seed: 300 + UInt64($0)) }
        let weights = (0..<arity).map { uniformTensor([rank * channels, channels, 1], seed: 310 + UInt64($0)) }
        let biases = (0..<arity).map { uniformTensor([rank * channels], seed: 320 + UInt64($0)) }
        let fused = lowRankFusion(inputs, weights: weights, biases: biases, rank: rank)
        var product = pointwiseConv1d(inputs[0], weight: weights[0], bias: biases[0])
        for i in 1..<arity { product = product * pointwiseConv1d(inputs[i], weight: weights[i], bias: biases[i]) }
        let reference = product.reshaped([batch, rank, channels, length]).sum(axis: 1)
        #expect(fused.shape == [batch, channels, length])
        expectClose(fused.values, reference.values, tolerance: 1e-5)
    }

    @Test(arguments: [2, 3])
    func gradientsMatchFiniteDifferences(arity: Int) {
        let (channels, rank) = (3, 2)
        let tensors =
            (0..<arity).map { uniformTensor([2, channels, 4], seed: 330 + UInt64($0)) }
            + (0..<arity).map { uniformTensor([rank * channels, channels, 1], seed: 340 + UInt64($0)) }
            + (0..<arity).map { uniformTensor([rank * channels], seed: 350 + UInt64($0)) }
        expectGradientsMatch(tensors) { t in
            lowRankFusion(
                Array(t[0..<arity]), weights: Array(t[arity..<(2 * arity)]), biases: Array(t[(2 * arity)...]), rank: rank)
        }
    }

    /// Inputs that need no gradient (frozen data) are skipped; the others still get theirs.
    @Test func onlyRequestedGradientsAreComputed() {
        let x = uniformTensor([2, 3, 4], seed: 360), y = uniformTensor([2, 3, 4], seed: 361)
        let w = [uniformTensor([6, 3], seed: 362).requiringGrad(), uniformTensor([6, 3], seed: 363).requiringGrad()]
        let b = [uniformTensor([6], seed: 364), uniformTensor([6], seed: 365)]
        lowRankFusion([x, y], weights: w, biases: b, rank: 2).sum().backward()
        #expect(x.grad == nil && b[0].grad == nil)
        #expect(w[0].grad != nil && w[1].grad != nil)
    }
}
