import Testing
@testable import Tensors

/// `adaptiveMaxPool2d`, BM-NAS's pooling of an input node to √L x √L (PyTorch's `AdaptiveMaxPool2d`).
@Suite struct AdaptiveMaxPoolTests {
    @Test func poolsPyTorchsWindowsAndRepeatsWhenTheOutputIsLarger() {
        // 3 x 3 to 2 x 2: windows rows/columns 0..<2 and 1..<3 overlap, as in PyTorch.
        let x = Tensor(shape: [1, 1, 3, 3], values: [1, 9, 2, 3, 4, 8, 7, 5, 6])
        #expect(adaptiveMaxPool2d(x, outputSize: (2, 2)).values == [9, 9, 7, 8])
        // A 1 x 1 map (a vector level) becomes a constant 2 x 2 one.
        let v = Tensor(shape: [1, 2, 1, 1], values: [3, -1])
        #expect(adaptiveMaxPool2d(v, outputSize: (2, 2)).values == [3, 3, 3, 3, -1, -1, -1, -1])
        // 4 x 4 to 2 x 2 is a 2 x 2 max pooling.
        let y = distinctTensor([2, 3, 4, 4], seed: 1)
        #expect(adaptiveMaxPool2d(y, outputSize: (2, 2)).values == maxPool2d(y, kernel: 2).values)
    }

    @Test func gradientMatchesFiniteDifferences() {
        // Distinct values: no ties inside a window, so the maximum is differentiable.
        expectGradientsMatch([distinctTensor([2, 2, 5, 7], seed: 2)]) { adaptiveMaxPool2d($0[0], outputSize: (3, 4)) }
        expectGradientsMatch([distinctTensor([1, 2, 2, 3], seed: 3)]) { adaptiveMaxPool2d($0[0], outputSize: (4, 4)) }
    }
}
