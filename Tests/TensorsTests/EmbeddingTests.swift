import Testing
@testable import Tensors

@Suite struct EmbeddingTests {
    @Test func embeddingLooksUpRows() {
        let table = Tensor(shape: [4, 2], values: [0, 1, 10, 11, 20, 21, 30, 31])
        let vectors = embedding([3, 0, 3], table: table)
        #expect(vectors.shape == [3, 2])
        #expect(vectors.values == [30, 31, 0, 1, 30, 31])
        expectGradientsMatch([uniformTensor([5, 3], seed: 106)]) { embedding([4, 0, 4, 2], table: $0[0]).tanh() }
    }
}
