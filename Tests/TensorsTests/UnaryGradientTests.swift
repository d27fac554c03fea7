import Foundation
import Testing
@testable import Tensors

@Suite struct UnaryGradientTests {
    let x = uniformTensor([3, 4], seed: 41, low: -2, high: 2)
    let positive = uniformTensor([3, 4], seed: 42, low: 0.5, high: 2)
    let awayFromZero = awayFromZeroTensor([3, 4], seed: 43)

    @Test func exponentialAndLogarithm() {
        expectGradientsMatch([x]) { $0[0].exp() }
        expectGradientsMatch([positive]) { $0[0].log() }
        expectGradientsMatch([positive]) { $0[0].sqrt() }
    }

    @Test func powersAndSquare() {
        expectGradientsMatch([positive]) { $0[0].pow(3) }
        expectGradientsMatch([positive]) { $0[0].pow(0.5) }
        expectGradientsMatch([positive]) { $0[0].pow(-1.5) }
        expectGradientsMatch([x]) { $0[0].square() }
    }

    @Test func piecewiseOpsAwayFromKinks() {
        expectGradientsMatch([awayFromZero]) { $0[0].abs() }
        expectGradientsMatch([awayFromZero]) { $0[0].relu() }
        expectGradientsMatch([awayFromZero]) { $0[0].leakyRelu(0.1) }
        // Inputs are 0.2 or more from zero, so clamping to ±0.1 never sits on a boundary.
        expectGradientsMatch([awayFromZero]) { $0[0].clamp(min: -0.1, max: 0.1) }
        expectGradientsMatch([awayFromZero]) { $0[0].clamp(min: -0.1) }
        let inside = uniformTensor([3, 4], seed: 44, low: -0.9, high: 0.9)
        expectGradientsMatch([inside]) { $0[0].clamp(min: -1, max: 1) }
    }

    @Test func smoothActivations() {
        expectGradientsMatch([x]) { $0[0].sigmoid() }
        expectGradientsMatch([x]) { $0[0].tanh() }
        expectGradientsMatch([x]) { $0[0].gelu() }
        expectGradientsMatch([x]) { $0[0].mish() }
        expectGradientsMatch([x]) { $0[0].softplus() }
    }

    @Test func activationValues() {
        let v = Tensor(shape: [3], values: [-1, 0, 2])
        expectClose(v.relu().values, [0, 0, 2])
        expectClose(v.leakyRelu(0.1).values, [-0.1, 0, 2])
        expectClose(v.sigmoid().values, [0.26894142, 0.5, 0.880797])
        expectClose(v.softplus().values, [0.31326169, 0.69314718, 2.12692801])
        expectClose(v.gelu().values, [-0.15880801, 0, 1.95459769])
        expectClose(v.mish().values, [-0.30340147, 0, 1.94395896])
        expectClose(v.clamp(min: -0.5, max: 1).values, [-0.5, 0, 1])
    }

    @Test func sigmoidAndSoftplusStayFiniteForLargeInputs() {
        let v = Tensor(shape: [2], values: [-200, 200])
        expectClose(v.sigmoid().values, [0, 1])
        expectClose(v.softplus().values, [0, 200])
    }
}
