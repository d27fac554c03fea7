import Testing
@testable import Tensors

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
