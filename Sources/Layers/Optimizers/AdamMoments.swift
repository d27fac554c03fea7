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
            let stepSize = lr / (1 - Foundation.pow(beta1, Float(t)))
            let correction2 = (1 - Foundation.pow(beta2, Float(t))).squareRoot()
            let shrink = 1 - lr * decoupled
            Threading.parallelFor(parameter.count) { s, e in
                // Eight lanes at a time by hand: the baseline x86-64 target does not auto-vectorise
                // this loop (square root and division stay scalar), and the update is a large share
                // of a training step. Lane arithmetic is the scalar arithmetic, so results are equal.
                var i = s
                while i + 8 <= e {
                    var pv = load8(p, i)
                    if decoupled != 0 { pv *= shrink }
                    let gi = load8(g, i) + l2 * pv
                    let mv = beta1 * load8(m, i) + (1 - beta1) * gi
                    let vv = beta2 * load8(v, i) + (1 - beta2) * gi * gi
                    pv -= stepSize * mv / (vv.squareRoot() / correction2 + epsilon)
                    store8(mv, m, i)
                    store8(vv, v, i)
                    store8(pv, p, i)
                    i += 8
                }
                while i < e {
                    if decoupled != 0 { p[i] *= shrink }
                    let gi = g[i] + l2 * p[i]
                    m[i] = beta1 * m[i] + (1 - beta1) * gi
                    v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
                    p[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2 + epsilon)
                    i += 1
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

@inline(__always) private func load8(_ p: UnsafeMutablePointer<Float>, _ i: Int) -> SIMD8<Float> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always) private func store8(_ value: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
    UnsafeMutableRawPointer(p + i).storeBytes(of: value, as: SIMD8<Float>.self)
}
