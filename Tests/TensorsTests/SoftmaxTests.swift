import Foundation
import Testing
@testable import Tensors

@Suite struct SoftmaxTests {
    @Test func forwardValues() {
        let x = Tensor(shape: [2, 3], values: [1, 2, 3, 0, 0, 0])
        expectClose(x.softmax().values, [0.09003057, 0.24472847, 0.66524096, 1.0 / 3, 1.0 / 3, 1.0 / 3])
        expectClose(x.logSoftmax().values, [-2.40760596, -1.40760596, -0.40760596, -1.09861229, -1.09861229, -1.09861229])
        expectClose(x.logSumExp(axis: 1).values, [3.40760596, 1.09861229])
        expectClose(x.logSumExp(axis: 0, keepDims: true).values, [1.31326169, 2.12692801, 3.04858735])
        // Along axis 0 each column is normalised on its own.
        expectClose(x.softmax(axis: 0).values, [0.73105858, 0.88079708, 0.95257413, 0.26894142, 0.11920292, 0.04742587])
    }

    @Test(arguments: [0, 1, 2, -1])
    func gradientsAlongEveryAxis(axis: Int) {
        let x = uniformTensor([2, 3, 4], seed: 111, low: -2, high: 2)
        expectGradientsMatch([x]) { $0[0].softmax(axis: axis) }
        expectGradientsMatch([x]) { $0[0].logSoftmax(axis: axis) }
        expectGradientsMatch([x]) { $0[0].logSumExp(axis: axis) }
        expectGradientsMatch([x]) { $0[0].logSumExp(axis: axis, keepDims: true) }
    }

    @Test func stableForHugeLogits() {
        let x = Tensor(shape: [1, 3], values: [10_000, 10_001, 10_002])
        let p = x.softmax().values
        #expect(p.allSatisfy { $0.isFinite })
        expectClose(p, [0.09003057, 0.24472847, 0.66524096])
        let lse = x.logSumExp(axis: 1).item
        #expect(lse.isFinite)
        #expect(Swift.abs(lse - 10_002.4076) < 1e-2)
        expectClose(x.logSoftmax().values, [-2.40760596, -1.40760596, -0.40760596], tolerance: 1e-3)
    }

    @Test func stableForVeryNegativeLogits() {
        let x = Tensor(shape: [2, 2], values: [-10_000, -10_001, 0, -10_000]).requiringGrad()
        let y = x.logSoftmax()
        #expect(y.values.allSatisfy { $0.isFinite })
        expectClose(y.values, [-0.31326169, -1.31326169, 0, -10_000], tolerance: 1e-4)
        y.sum().backward()
        #expect(x.grad!.values.allSatisfy { $0.isFinite })
        expectClose(x.softmax().values, [0.73105858, 0.26894142, 1, 0])
    }

    /// Masked lanes: a fully masked lane (all -inf) gives -inf with a zero gradient, not NaN; the
    /// masked elements of a partly masked lane get no gradient and the rest get the softmax of the
    /// unmasked ones. Finite differences cannot step through -inf, so the gradient is compared with
    /// its closed form.
    @Test(arguments: [false, true])
    func logSumExpOverMaskedLanes(keepDims: Bool) {
        let inf = Float.infinity
        let x = Tensor(shape: [3, 3], values: [-inf, -inf, -inf, 0.5, -inf, -1, 1, 2, 3]).requiringGrad()
        let y = x.logSumExp(axis: 1, keepDims: keepDims)
        #expect(y.shape == (keepDims ? [3, 1] : [3]))
        #expect(y.values[0] == -inf)
        expectClose(Array(y.values[1...]), [0.70141327, 3.40760596])
        // Distinct upstream gradients per lane, so that a mix-up of lanes shows.
        y.backward(Tensor(shape: y.shape, values: [5, 2, -1]))
        let grad = x.grad!.values
        #expect(grad[0..<3] == [0, 0, 0], "\(grad)")
        expectClose(Array(grad[3...]), [2 * 0.81757448, 0, 2 * 0.18242552, -0.09003057, -0.24472847, -0.66524096])
    }
}
