import Testing
@testable import Tensors

/// The supernets' softmax mixture: nil terms are the Zero primitive, and terms or weights may be
/// frozen (no gradient) while the others learn.
@Suite struct WeightedSumTests {
    @Test func forwardSkipsNilTerms() {
        let a = Tensor(shape: [2], values: [1, 2]), b = Tensor(shape: [2], values: [10, 20])
        let y = Tensor.weightedSum(weights: Tensor(shape: [3], values: [0.5, 7, -1]), terms: [a, nil, b])
        #expect(y.values == [-9.5, -19])
    }

    @Test func gradientsWithNilTerms() {
        let weights = uniformTensor([4], seed: 370)
        let terms = [uniformTensor([2, 3, 2], seed: 371), uniformTensor([2, 3, 2], seed: 372)]
        expectGradientsMatch([weights] + terms) { t in
            Tensor.weightedSum(weights: t[0], terms: [nil, t[1], nil, t[2]])
        }
    }

    /// A term that needs no gradient still feeds the weights' gradient; weights that need none still
    /// scale the terms' gradients.
    @Test func gradientsWithFrozenTermsOrWeights() {
        let frozenTerm = uniformTensor([3, 4], seed: 373)
        let learnedTerm = uniformTensor([3, 4], seed: 374)
        let weights = uniformTensor([3], seed: 375)
        expectGradientsMatch([weights, learnedTerm]) { t in
            Tensor.weightedSum(weights: t[0], terms: [frozenTerm, nil, t[1]])
        }
        let frozenWeights = uniformTensor([3], seed: 376)
        expectGradientsMatch([learnedTerm]) { t in
            Tensor.weightedSum(weights: frozenWeights, terms: [frozenTerm, t[0], nil])
        }
        #expect(frozenTerm.grad == nil && frozenWeights.grad == nil)
    }

    /// The same tensor as two terms receives both weights' shares.
    @Test func gradientsWithARepeatedTerm() {
        let weights = uniformTensor([3], seed: 377), term = uniformTensor([2, 5], seed: 378)
        expectGradientsMatch([weights, term]) { t in
            Tensor.weightedSum(weights: t[0], terms: [t[1], nil, t[1]]).square()
        }
    }
}
