import TestSupport
import Testing
@testable import Tensors

/// The gradient check itself must have teeth: ops whose backward is deliberately wrong must fail it.
///
/// An earlier version projected a scalar output on one normal draw (about -0.15) and compared
/// with an absolute tolerance, so a scalar loss whose backward was zero or doubled still passed.
@Suite struct GradientCheckSelfTests {
    /// Backward factors that must be caught: small and large scalings, and a missing gradient.
    static let wrongFactors: [Float] = [0, 0.9, 1.1, 2]

    /// `mean(x²)`, a rank-0 loss, with its backward multiplied by `factor`.
    static func meanSquare(_ x: Tensor, backwardFactor factor: Float) -> Tensor {
        let out = withoutGrad { x.square().mean() }
        let scale = 2 * factor / Float(x.count)
        return out.recorded(from: [x]) { g in
            x.accumulateGrad(withoutGrad { x.detached() * (g * scale) })
        }
    }

    /// Elementwise `tanh(x)` with its backward multiplied by `factor`.
    static func tanh(_ x: Tensor, backwardFactor factor: Float) -> Tensor {
        let y = withoutGrad { x.tanh() }
        let value = y.detached()
        return y.recorded(from: [x]) { g in
            x.accumulateGrad(withoutGrad { g * (1 - value.square()) * factor })
        }
    }

    /// Elementwise `tanh(x)` whose backward drops the gradient of element `dropped` only.
    static func tanh(_ x: Tensor, droppingElement dropped: Int) -> Tensor {
        let y = withoutGrad { x.tanh() }
        let value = y.detached()
        return y.recorded(from: [x]) { g in
            let gx = withoutGrad { g * (1 - value.square()) }.copy()
            gx.data[dropped] = 0
            x.accumulateGrad(gx)
        }
    }

    @Test func correctBackwardsPass() {
        let x = uniformTensor([4, 5], seed: 900)
        let scalar = GradientCheck.run(inputs: [x]) { t in Self.meanSquare(t[0], backwardFactor: 1) }
        #expect(scalar.passed, "\(scalar)")
        let tensor = GradientCheck.run(inputs: [x]) { t in Self.tanh(t[0], backwardFactor: 1) }
        #expect(tensor.passed, "\(tensor)")
    }

    @Test(arguments: wrongFactors)
    func scaledBackwardOfAScalarLossFails(factor: Float) {
        let x = uniformTensor([4, 5], seed: 901)
        let result = GradientCheck.run(inputs: [x]) { t in Self.meanSquare(t[0], backwardFactor: factor) }
        #expect(!result.passed, "backward scaled by \(factor) passed: \(result)")
    }

    /// The wrong loss gradient must also be caught where it flows on through correct ops.
    @Test(arguments: wrongFactors)
    func scaledBackwardUpstreamOfCorrectOpsFails(factor: Float) {
        let x = uniformTensor([3, 4], seed: 902), w = uniformTensor([4, 2], seed: 903)
        let result = GradientCheck.run(inputs: [x, w]) { t in Self.meanSquare(t[0].matmul(t[1]).tanh(), backwardFactor: factor) }
        #expect(!result.passed, "backward scaled by \(factor) passed: \(result)")
    }

    @Test(arguments: wrongFactors)
    func scaledBackwardOfATensorValuedOpFails(factor: Float) {
        let x = uniformTensor([4, 5], seed: 904)
        let result = GradientCheck.run(inputs: [x]) { t in Self.tanh(t[0], backwardFactor: factor) }
        #expect(!result.passed, "backward scaled by \(factor) passed: \(result)")
    }

    /// One wrong element among many: the per-element tolerance does not average it away.
    @Test func oneDroppedElementFails() {
        let x = uniformTensor([6, 7], seed: 905)
        let result = GradientCheck.run(inputs: [x]) { t in Self.tanh(t[0], droppingElement: 17) }
        #expect(!result.passed, "a dropped element passed: \(result)")
        #expect(result.worst.element == 17)
    }

    /// Allowing for kinks does not let a wrong backward through where the function is smooth.
    @Test(arguments: wrongFactors)
    func scaledBackwardFailsEvenWhenKinksAreTolerated(factor: Float) {
        let x = uniformTensor([4, 5], seed: 906)
        let scalar = GradientCheck.run(inputs: [x], toleratesKinks: true) { t in Self.meanSquare(t[0], backwardFactor: factor) }
        #expect(!scalar.passed, "loss backward scaled by \(factor) passed: \(scalar)")
        let tensor = GradientCheck.run(inputs: [x], toleratesKinks: true) { t in Self.tanh(t[0], backwardFactor: factor) }
        #expect(!tensor.passed, "tanh backward scaled by \(factor) passed: \(tensor)")
    }

    /// An input 0.003 from ReLU's kink, inside the step of 0.01: the central difference is wrong
    /// there (0.65 instead of 1) and the plain check fails on it; the kink allowance accounts for
    /// exactly that error.
    @Test func aKinkInsideTheStepIsExplainedByTheSecondDifference() {
        let x = Tensor(shape: [4], values: [0.5, 0.003, -0.4, 0.8])
        let plain = GradientCheck.run(inputs: [x]) { t in t[0].relu() }
        #expect(!plain.passed && plain.worst.element == 1, "\(plain)")
        let tolerant = GradientCheck.run(inputs: [x], toleratesKinks: true) { t in t[0].relu() }
        #expect(tolerant.passed, "\(tolerant)")
    }
}

/// Uniform values in `[-1, 1)` from a fixed seed (as TensorsTests draws its inputs).
private func uniformTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: -1, high: 1, rng: &rng)
}
