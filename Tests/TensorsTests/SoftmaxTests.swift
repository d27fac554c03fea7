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

    /// Softmax and log-softmax over a fully masked lane (all -inf) give the uniform distribution and
    /// its logarithm with a zero gradient, not NaN; partly masked and unmasked lanes are unchanged:
    /// their values and gradients equal those of the same lanes without the masked one. Along axis 0
    /// the lanes are strided. Finite differences cannot step through -inf.
    @Test(arguments: [1, 0])
    func softmaxAndLogSoftmaxOverMaskedLanes(axis: Int) {
        let inf = Float.infinity
        let lanes: [[Float]] = [[-inf, -inf, -inf], [0.5, -inf, -1], [1, 2, 3]]
        let upstream: [[Float]] = [[5, -3, 2], [2, 1, -4], [-1, 0.5, 3]]
        /// The lanes laid out along `axis` of a 3x3 tensor.
        func tensor(_ lanes: [[Float]]) -> Tensor {
            let values = axis == 1 ? lanes.flatMap { $0 } : (0..<3).flatMap { k in lanes.map { $0[k] } }
            return Tensor(shape: axis == 1 ? [lanes.count, 3] : [3, lanes.count], values: values)
        }
        /// Lane `i` of a tensor built by `tensor(_:)` with `count` lanes.
        func lane(_ values: [Float], _ i: Int, of count: Int) -> [Float] {
            axis == 1 ? Array(values[(3 * i)..<(3 * i + 3)]) : (0..<3).map { values[$0 * count + i] }
        }
        for logarithmic in [false, true] {
            func op(_ x: Tensor) -> Tensor { logarithmic ? x.logSoftmax(axis: axis) : x.softmax(axis: axis) }
            let x = tensor(lanes).requiringGrad()
            let y = op(x)
            y.backward(tensor(upstream))
            let uniform: Float = logarithmic ? -Foundation.log(3) : 1 / 3
            #expect(lane(y.values, 0, of: 3) == [uniform, uniform, uniform], "log \(logarithmic): \(y.values)")
            #expect(lane(x.grad!.values, 0, of: 3) == [0, 0, 0], "log \(logarithmic): \(x.grad!.values)")
            // The other lanes on their own, through the ordinary path.
            let rest = tensor(Array(lanes[1...])).requiringGrad()
            let restY = op(rest)
            restY.backward(tensor(Array(upstream[1...])))
            for i in 1..<3 {
                #expect(lane(y.values, i, of: 3) == lane(restY.values, i - 1, of: 2), "log \(logarithmic), lane \(i)")
                #expect(lane(x.grad!.values, i, of: 3) == lane(rest.grad!.values, i - 1, of: 2), "log \(logarithmic), lane \(i)")
            }
            // The partly masked lane against its closed form: its masked element is 0 (or -inf); its
            // gradient is 0 through softmax, and for log-softmax the upstream one (here 1), the limit
            // of dy_j/dx_j = 1 - softmax_j as x_j goes to -inf.
            let expected: [Float] = logarithmic ? [-0.20141327, -inf, -1.70141327] : [0.81757448, 0, 0.18242552]
            #expect(lane(y.values, 1, of: 3)[1] == expected[1])
            expectClose([0, 2].map { lane(y.values, 1, of: 3)[$0] }, [expected[0], expected[2]])
            #expect(lane(x.grad!.values, 1, of: 3)[1] == (logarithmic ? 1 : 0))
        }
    }
}
