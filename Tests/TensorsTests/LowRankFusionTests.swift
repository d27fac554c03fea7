import Testing
@testable import Tensors

@Suite struct LowRankFusionTests {
    /// The fused op equals projecting with pointwise convolutions, multiplying and summing the R groups.
    @Test(arguments: [1, 2, 3])
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

    /// One input (no product: the backward has no other factors), and ranks 1 and 3.
    @Test(arguments: zip([1, 1, 2, 2, 3], [2, 3, 1, 3, 1]))
    func gradientsAtOtherAritiesAndRanks(arity: Int, rank: Int) {
        let channels = 3
        let seed = 380 + 10 * UInt64(arity) + UInt64(rank)
        let inputs: [Tensor] = (0..<arity).map { uniformTensor([2, channels, 3], seed: seed + UInt64($0)) }
        let weights: [Tensor] = (0..<arity).map { uniformTensor([rank * channels, channels], seed: seed + 100 + UInt64($0)) }
        let biases: [Tensor] = (0..<arity).map { uniformTensor([rank * channels], seed: seed + 200 + UInt64($0)) }
        expectGradientsMatch(inputs + weights + biases) { t in
            lowRankFusion(
                Array(t[0..<arity]), weights: Array(t[arity..<(2 * arity)]), biases: Array(t[(2 * arity)...]), rank: rank)
        }
    }

    /// The same tensor as both inputs (fusing a modality with itself): its gradient is the sum of
    /// both inputs' shares, with distinct weights and with the weights shared too.
    @Test func gradientsWithAliasedInputs() {
        let x = uniformTensor([2, 3, 4], seed: 395)
        let w = [uniformTensor([6, 3], seed: 396), uniformTensor([6, 3], seed: 397)]
        let b = [uniformTensor([6], seed: 398), uniformTensor([6], seed: 399)]
        expectGradientsMatch([x] + w + b) { t in
            lowRankFusion([t[0], t[0]], weights: [t[1], t[2]], biases: [t[3], t[4]], rank: 2)
        }
        expectGradientsMatch([x, w[0], b[0]]) { t in
            lowRankFusion([t[0], t[0]], weights: [t[1], t[1]], biases: [t[2], t[2]], rank: 2)
        }
    }

    /// Inputs that need no gradient (frozen data) are skipped; the others still get theirs.
    @Test func onlyRequestedGradientsAreComputed() {
        let x = uniformTensor([2, 3, 4], seed: 360), y = uniformTensor([2, 3, 4], seed: 361)
        let w = [uniformTensor([6, 3], seed: 362).requiringGrad(), uniformTensor([6, 3], seed: 363).requiringGrad()]
        let b = [uniformTensor([6], seed: 364), uniformTensor([6], seed: 365)]
        lowRankFusion([x, y], weights: w, biases: b, rank: 2).sum().backward()
        #expect(x.grad == nil && b[0].grad == nil)
        // The requested gradients are those of a pass where every tensor requires one.
        let all = [x, y, w[0], w[1], b[0], b[1]].map { $0.copy().requiringGrad() }
        lowRankFusion([all[0], all[1]], weights: [all[2], all[3]], biases: [all[4], all[5]], rank: 2).sum().backward()
        #expect(w[0].grad?.values == all[2].grad?.values && w[1].grad?.values == all[3].grad?.values)
        #expect(w[0].grad?.values.contains { $0 != 0 } == true)
    }
}
