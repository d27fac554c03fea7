import Testing
@testable import Tensors

@Suite struct ReductionGradientTests {
    let x = uniformTensor([2, 3, 4], seed: 51)

    @Test func sumOverAxes() {
        expectGradientsMatch([x]) { $0[0].sum() }
        expectGradientsMatch([x]) { $0[0].sum(axes: [0, 2]) }
        expectGradientsMatch([x]) { $0[0].sum(axis: 1, keepDims: true) }
        expectGradientsMatch([x]) { $0[0].sum(axis: -1) }
    }

    @Test func meanAndVariance() {
        expectGradientsMatch([x]) { $0[0].mean() }
        expectGradientsMatch([x]) { $0[0].mean(axes: [1, 2]) }
        expectGradientsMatch([x]) { $0[0].mean(axis: 0, keepDims: true) }
        expectGradientsMatch([x]) { $0[0].variance(axes: [2]) }
        expectGradientsMatch([x]) { $0[0].variance(axes: [0, 1], keepDims: true) }
    }

    @Test func maxOverAxisWithoutTies() {
        let distinct = distinctTensor([2, 3, 4], seed: 52)
        expectGradientsMatch([distinct]) { $0[0].max(axis: 1) }
        expectGradientsMatch([distinct]) { $0[0].max(axis: -1, keepDims: true) }
        expectGradientsMatch([distinct]) { $0[0].max(axis: 0) }
    }

    @Test func reductionValues() {
        let m = Tensor(shape: [2, 3], values: [1, 5, 3, 4, 2, 6])
        #expect(m.sum(axis: 0).values == [5, 7, 9])
        #expect(m.sum(axis: 1, keepDims: true).shape == [2, 1])
        #expect(m.max(axis: 1).values == [5, 6])
        #expect(m.mean().item == 3.5)
        expectClose(m.variance(axes: [1]).values, [8.0 / 3, 8.0 / 3])
    }
}
