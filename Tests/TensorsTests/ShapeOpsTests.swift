import Testing
@testable import Tensors

@Suite struct ShapeOpsTests {
    @Test func concatValuesAndGradients() {
        let a = Tensor(shape: [2, 1], values: [1, 2]), b = Tensor(shape: [2, 2], values: [3, 4, 5, 6])
        let joined = Tensor.concat([a, b], axis: 1)
        #expect(joined.shape == [2, 3])
        #expect(joined.values == [1, 3, 4, 2, 5, 6])
        #expect(Tensor.concat([a, a], axis: 0).values == [1, 2, 1, 2])
        expectGradientsMatch([uniformTensor([2, 1, 3], seed: 91), uniformTensor([2, 2, 3], seed: 92)]) {
            Tensor.concat([$0[0], $0[1]], axis: 1)
        }
        expectGradientsMatch([uniformTensor([2, 3], seed: 93), uniformTensor([1, 3], seed: 94)]) {
            Tensor.concat([$0[0], $0[1], $0[0]], axis: 0)
        }
        expectGradientsMatch([uniformTensor([2, 3], seed: 95), uniformTensor([2, 2], seed: 96)]) {
            Tensor.concat([$0[0], $0[1]], axis: -1)
        }
    }

    @Test func stackValuesAndGradients() {
        let a = Tensor(shape: [2], values: [1, 2]), b = Tensor(shape: [2], values: [3, 4])
        #expect(Tensor.stack([a, b], axis: 0).values == [1, 2, 3, 4])
        let columns = Tensor.stack([a, b], axis: 1)
        #expect(columns.shape == [2, 2])
        #expect(columns.values == [1, 3, 2, 4])
        expectGradientsMatch([uniformTensor([2, 3], seed: 97), uniformTensor([2, 3], seed: 98)]) {
            Tensor.stack([$0[0], $0[1]], axis: 1)
        }
        expectGradientsMatch([uniformTensor([2, 3], seed: 99), uniformTensor([2, 3], seed: 100)]) {
            Tensor.stack([$0[0], $0[1]], axis: -1)
        }
    }

    @Test func splitValuesAndGradients() {
        let x = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let pieces = x.split(sizes: [1, 2], axis: 1)
        #expect(pieces.map(\.shape) == [[2, 1], [2, 2]])
        #expect(pieces[0].values == [1, 4])
        #expect(pieces[1].values == [2, 3, 5, 6])
        expectGradientsMatch([uniformTensor([2, 5, 2], seed: 101)]) { t in
            let parts = t[0].split(sizes: [2, 0, 3], axis: 1)
            return parts[0].sum(axis: 1) * parts[2].sum(axis: 1)
        }
        // Only one piece used: the other parts of the gradient are zero.
        let y = uniformTensor([4, 2], seed: 102).requiringGrad()
        y.split(sizes: [1, 3], axis: 0)[1].sum().backward()
        #expect(y.grad?.values == [0, 0, 1, 1, 1, 1, 1, 1])
    }

    @Test func sliceValuesAndGradients() {
        let x = Tensor(shape: [2, 4], values: [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(x.slice(axis: 1, start: 1, end: 3).values == [1, 2, 5, 6])
        #expect(x.slice(axis: 0, start: 1, end: 2).values == [4, 5, 6, 7])
        #expect(x.slice(axis: -1, start: 2, end: 2).shape == [2, 0])
        expectGradientsMatch([uniformTensor([3, 4, 2], seed: 103)]) { $0[0].slice(axis: 1, start: 1, end: 3) }
        expectGradientsMatch([uniformTensor([3, 4], seed: 104)]) { $0[0].slice(axis: 0, start: 2, end: 3).exp() }
    }

    @Test func indexSelectWithRepeatedRows() {
        let x = Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6])
        #expect(x.indexSelect([2, 0, 2]).values == [5, 6, 1, 2, 5, 6])
        expectGradientsMatch([uniformTensor([4, 3], seed: 105)]) { $0[0].indexSelect([3, 1, 3, 3, 0]) }
        let table = Tensor.zeros([3, 2]).requiringGrad()
        table.indexSelect([1, 1, 2]).sum().backward()
        #expect(table.grad?.values == [0, 0, 2, 2, 1, 1])
    }
}
