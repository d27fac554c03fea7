import Testing
@testable import Tensors

@Test func matmulMatchesHandComputed() {
    let a = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
    let b = Tensor(shape: [2, 2], values: [5, 6, 7, 8])
    #expect(a.matmul(b).values == [19, 22, 43, 50])
}

@Suite struct MatMulGradientTests {
    /// Shapes of A and B for (m, k, n) = (2, 3, 4) under each transpose combination.
    static let combinations: [(Bool, Bool)] = [(false, false), (true, false), (false, true), (true, true)]

    @Test(arguments: combinations)
    func matmulGradients(transposeSelf: Bool, transposeOther: Bool) {
        let a = uniformTensor(transposeSelf ? [3, 2] : [2, 3], seed: 61)
        let b = uniformTensor(transposeOther ? [4, 3] : [3, 4], seed: 62)
        expectGradientsMatch([a, b]) { $0[0].matmul($0[1], transposeSelf: transposeSelf, transposeOther: transposeOther) }
    }

    @Test(arguments: combinations)
    func batchedMatmulGradients(transposeSelf: Bool, transposeOther: Bool) {
        let a = uniformTensor(transposeSelf ? [2, 3, 2] : [2, 2, 3], seed: 63)
        let b = uniformTensor(transposeOther ? [2, 4, 3] : [2, 3, 4], seed: 64)
        expectGradientsMatch([a, b]) {
            $0[0].batchedMatmul($0[1], transposeSelf: transposeSelf, transposeOther: transposeOther)
        }
    }

    @Test(arguments: combinations)
    func transposedProductsMatchExplicitTransposes(transposeSelf: Bool, transposeOther: Bool) {
        let a = uniformTensor(transposeSelf ? [3, 2] : [2, 3], seed: 65)
        let b = uniformTensor(transposeOther ? [4, 3] : [3, 4], seed: 66)
        let direct = a.matmul(b, transposeSelf: transposeSelf, transposeOther: transposeOther)
        let explicit = (transposeSelf ? a.transposed() : a).matmul(transposeOther ? b.transposed() : b)
        expectClose(direct.values, explicit.values)
    }
}
