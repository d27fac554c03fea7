import Tensors

/// DARTS's second-order architecture gradient (Liu et al., ICLR 2019, eq. 7-8):
///
///     ∇α L_val(w', α) - ξ [∇α L_train(w⁺, α) - ∇α L_train(w⁻, α)] / 2ε
///     w' = w - ξ ∇w L_train(w, α),   w± = w ± ε ∇w' L_val(w', α),   ε = 0.01 / ‖∇w' L_val(w', α)‖
///
/// The unrolled step w' is a plain gradient step of size ξ on the raw (clipped) training gradient,
/// as in DARTS's reference code, not the next iterate of the weight optimizer (Adam with its moments):
/// the approximation asks how the held-out loss responds to one step along the training gradient.
///
/// `trainingLoss` must replay the same batch with the same augmentations and dropout masks at w⁺ and
/// w⁻ (and as the weight step that produced `trainingGradients`): the finite difference divides by 2ε,
/// so any sampling difference between the two evaluations would be amplified into noise.
public enum SecondOrderArchitectureGradient {
    /// Computes the gradient and leaves every weight as it was; the architecture parameters' `grad`
    /// hold the result afterwards.
    ///
    /// - Parameters:
    ///   - weights: the weights w, holding their values before the weight step.
    ///   - architecture: the architecture parameters α.
    ///   - trainingGradients: ∇w L_train(w, α), one per weight (nil where a weight has none).
    ///   - xi: the unrolled step size ξ.
    ///   - heldOutLoss: evaluates L_val at the current weights and records the gradients of the
    ///     weights and the architecture parameters; returns the loss.
    ///   - trainingLoss: evaluates L_train at the current weights and records the gradients of the
    ///     architecture parameters only.
    /// - Returns: L_val(w', α).
    @discardableResult
    public static func apply(
        weights: [Tensor], architecture: [Tensor], trainingGradients: [Tensor?], xi: Float,
        heldOutLoss: () throws -> Double, trainingLoss: () throws -> Void
    ) rethrows -> Double {
        let saved = weights.map { $0.copy() }
        for (w, g) in zip(weights, trainingGradients) {
            guard let g else { continue }
            for i in 0..<w.count { w.data[i] -= xi * g.data[i] }
        }
        for p in weights + architecture { p.grad = nil }
        let loss = try heldOutLoss()
        let direct = architecture.map { $0.grad }
        let v = weights.map { $0.grad }
        var normSquared: Double = 0
        for g in v { if let g { for i in 0..<g.count { normSquared += Double(g.data[i]) * Double(g.data[i]) } } }
        let epsilon = Float(0.01 / max(normSquared.squareRoot(), 1e-12))
        func architectureGradient(at sign: Float) throws -> [Tensor?] {
            for (k, w) in weights.enumerated() {
                w.assign(saved[k])
                if let vk = v[k] { for i in 0..<w.count { w.data[i] += sign * epsilon * vk.data[i] } }
            }
            for a in architecture { a.grad = nil }
            try trainingLoss()
            return architecture.map { $0.grad }
        }
        let plus = try architectureGradient(at: 1)
        let minus = try architectureGradient(at: -1)
        for (k, w) in weights.enumerated() {
            w.assign(saved[k])
            w.grad = trainingGradients[k]
        }
        for (k, a) in architecture.enumerated() {
            let differences = plus[k].flatMap { p in minus[k].map { (p, $0) } }
            guard direct[k] != nil || differences != nil else { a.grad = nil; continue }
            let g = direct[k]?.copy() ?? Tensor.zeros(a.shape)
            if let (p, m) = differences {
                for i in 0..<g.count { g.data[i] -= xi * (p.data[i] - m.data[i]) / (2 * epsilon) }
            }
            a.grad = g
        }
        return loss
    }
}
