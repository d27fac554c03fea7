import Testing
@testable import Tensors

@Suite struct PoolingTests {
    let grid = Tensor(shape: [1, 1, 4, 4], values: (0..<16).map(Float.init))
    let small = Tensor(shape: [1, 1, 3, 3], values: (1...9).map(Float.init))

    @Test func maxPoolHandComputed() {
        #expect(maxPool2d(grid, kernel: 2).values == [5, 7, 13, 15])
        #expect(maxPool2d(grid, kernel: 3, stride: 1).values == [10, 11, 14, 15])
        let padded = maxPool2d(small, kernel: 2, stride: 2, padding: 1)
        #expect(padded.shape == [1, 1, 2, 2])
        #expect(padded.values == [1, 3, 7, 9])
        #expect(maxPool2d(-small, kernel: 2, stride: 2, padding: 1).values == [-1, -2, -4, -5])
    }

    @Test func avgPoolHandComputed() {
        #expect(avgPool2d(grid, kernel: 2).values == [2.5, 4.5, 10.5, 12.5])
        // Padding counts in the denominator (count_include_pad).
        #expect(avgPool2d(small, kernel: 2, stride: 2, padding: 1).values == [0.25, 1.25, 2.75, 7])
    }

    @Test func adaptivePoolsHandComputed() {
        #expect(adaptiveAvgPool2d(small, outputSize: (2, 2)).values == [3, 4, 6, 7])
        #expect(adaptiveAvgPool2d(small, outputSize: (1, 1)).values == [5])
        #expect(adaptiveAvgPool2d(small, outputSize: (3, 1)).values == [2, 5, 8])
        let sequence = Tensor(shape: [1, 1, 5], values: [1, 2, 3, 4, 5])
        #expect(adaptiveAvgPool1d(sequence, outputSize: 3).values == [1.5, 3, 4.5])
        #expect(adaptiveAvgPool1d(sequence, outputSize: 1).shape == [1, 1, 1])
    }

    @Test(arguments: [(2, nil, 0), (3, 1, 1), (3, 2, 1)] as [(Int, Int?, Int)])
    func maxPoolGradients(kernel: Int, stride: Int?, padding: Int) {
        expectGradientsMatch([distinctTensor([2, 2, 5, 4], seed: 161)]) {
            maxPool2d($0[0], kernel: kernel, stride: stride, padding: padding)
        }
    }

    @Test(arguments: [(2, nil, 0), (3, 1, 1), (3, 2, 1)] as [(Int, Int?, Int)])
    func avgPoolGradients(kernel: Int, stride: Int?, padding: Int) {
        expectGradientsMatch([uniformTensor([2, 2, 5, 4], seed: 162)]) {
            avgPool2d($0[0], kernel: kernel, stride: stride, padding: padding)
        }
    }

    @Test func adaptivePoolGradients() {
        expectGradientsMatch([uniformTensor([2, 2, 5, 7], seed: 163)]) { adaptiveAvgPool2d($0[0], outputSize: (3, 2)) }
        expectGradientsMatch([uniformTensor([2, 2, 3, 3], seed: 164)]) { adaptiveAvgPool2d($0[0], outputSize: (4, 5)) }
        expectGradientsMatch([uniformTensor([2, 3, 7], seed: 165)]) { adaptiveAvgPool1d($0[0], outputSize: 3) }
    }
}
