import CKernels
import Foundation
import Tensors

/// The state and update shared by ``Adam`` and ``AdamW``: first and second moment estimates and
/// per-parameter step counts, with `torch.optim.Adam`'s bias-corrected update.
struct AdamMoments {
    var firstMoments: ParameterSlots
    var secondMoments: ParameterSlots
    var steps: StepCounts

    init(count: Int) {
        firstMoments = ParameterSlots(name: "exp_avg", count: count)
        secondMoments = ParameterSlots(name: "exp_avg_sq", count: count)
        steps = StepCounts(count: count)
    }

    /// Updates every parameter with a gradient.
    ///
    /// - Parameters:
    ///   - l2: coupled weight decay, added to the gradient (Adam).
    ///   - decoupled: decoupled weight decay, `p *= 1 - lr * decoupled` before the step (AdamW).
    mutating func step(
        _ parameters: [Tensor], learningRate lr: Float, betas: (Float, Float), epsilon: Float,
        l2: Float, decoupled: Float
    ) {
        let (beta1, beta2) = betas
        for (index, parameter) in parameters.enumerated() {
            guard let grad = parameter.grad else { continue }
            let t = steps.advance(index)
            let m = firstMoments.buffer(index, shape: parameter.shape).data
            let v = secondMoments.buffer(index, shape: parameter.shape).data
            let p = parameter.data, g = grad.data
            let constants = fusionnas_adam_constants(
                beta1: beta1, one_minus_beta1: 1 - beta1, beta2: beta2, one_minus_beta2: 1 - beta2,
                step_size: lr / (1 - Foundation.pow(beta1, Float(t))),
                correction2: (1 - Foundation.pow(beta2, Float(t))).squareRoot(), epsilon: epsilon,
                l2: l2, shrink: 1 - lr * decoupled, decoupled: decoupled != 0 ? 1 : 0)
            // torch.optim.Adam's update, element by element (Sources/CKernels/adam_update.c); the
            // threads only read the constants.
            withUnsafePointer(to: constants) { c in
                Threading.parallelFor(parameter.count) { s, e in
                    fusionnas_adam_update(c, p + s, g + s, m + s, v + s, e - s)
                }
            }
        }
    }

    func export() -> [String: Tensor] {
        var state: [String: Tensor] = [:]
        firstMoments.export(into: &state)
        secondMoments.export(into: &state)
        steps.export(into: &state)
        return state
    }

    mutating func load(_ state: [String: Tensor], parameters: [Tensor]) throws {
        // Load into copies so that a failure leaves the current state intact.
        var first = firstMoments, second = secondMoments, counts = steps
        try first.load(from: state, parameters: parameters)
        try second.load(from: state, parameters: parameters)
        try counts.load(from: state)
        firstMoments = first
        secondMoments = second
        steps = counts
    }
}
