import Testing
@testable import Tensors

@Suite struct ReshapeGradientTests {
    let x = uniformTensor([2, 3, 4], seed: 71)

    @Test func reshapeAndFlatten() {
        expectGradientsMatch([x]) { $0[0].reshaped([4, -1]) * Tensor(shape: [4, 6], values: (0..<24).map(Float.init)) }
        expectGradientsMatch([x]) { $0[0].flattened().square() }
    }

    @Test func permuteAndTranspose() {
        expectGradientsMatch([x]) { $0[0].permuted([2, 0, 1]) }
        expectGradientsMatch([x]) { $0[0].transposed() }
        expectGradientsMatch([x]) { $0[0].transposed(0, 2).square() }
        let m = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect(m.transposed().values == [1, 4, 2, 5, 3, 6])
        #expect(x.permuted([2, 0, 1]).shape == [4, 2, 3])
    }

    @Test func broadcastTo() {
        expectGradientsMatch([uniformTensor([3, 1], seed: 72)]) { $0[0].broadcasted(to: [2, 3, 4]) }
        expectGradientsMatch([uniformTensor([4], seed: 73)]) { $0[0].broadcasted(to: [3, 4]) }
        expectGradientsMatch([Tensor(0.3)]) { $0[0].broadcasted(to: [2, 2]) }
        let column = Tensor(shape: [2, 1], values: [1, 2])
        #expect(column.broadcasted(to: [2, 3]).values == [1, 1, 1, 2, 2, 2])
        #expect(Tensor(shape: [1], values: [5]).broadcasted(to: [2, 2]).values == [5, 5, 5, 5])
    }
}
