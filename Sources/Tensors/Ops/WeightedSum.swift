extension Tensor {
    /// `sum_j weights[j] * terms[j]` for a weight vector and same-shaped terms, in one pass.
    ///
    /// This is the softmax mixture of DARTS-style supernets; a `nil` term stands for an all-zero map
    /// (the Zero primitive) and costs nothing. Backward: d weights[j] = <g, terms[j]>, d terms[j] = weights[j] g.
    public static func weightedSum(weights: Tensor, terms: [Tensor?]) -> Tensor {
        precondition(
            weights.count == terms.count,
            "weightedSum: \(weights.count) weights (shape \(weights.shape)) for \(terms.count) terms")
        guard let shape = terms.first(where: { $0 != nil })??.shape else {
            preconditionFailure("weightedSum: every term is nil; the output shape is unknown")
        }
        for case let t? in terms {
            precondition(t.shape == shape, "weightedSum: term shapes differ: \(t.shape) vs \(shape)")
        }
        let out = Tensor(shape: shape, repeating: 0)
        let n = out.count
        let o = out.data
        let w = weights.data
        for (j, term) in terms.enumerated() {
            guard let term else { continue }
            let wj = w[j], p = term.data
            Threading.parallelFor(n) { s, e in for i in s..<e { o[i] += wj * p[i] } }
        }
        let present = terms.compactMap { $0 }
        return out.recorded(from: [weights] + present) { g in
            let pg = g.data
            if weights.requiresGrad {
                let gw = Tensor(shape: weights.shape, repeating: 0)
                for (j, term) in terms.enumerated() {
                    guard let term else { continue }
                    let p = term.data
                    var acc: Float = 0
                    for i in 0..<n { acc += pg[i] * p[i] }
                    gw.data[j] = acc
                }
                weights.accumulateGrad(gw)
            }
            for (j, term) in terms.enumerated() {
                guard let term, term.requiresGrad else { continue }
                let wj = w[j]
                let gt = Tensor(uninitializedShape: shape)
                let pt = gt.data
                Threading.parallelFor(n) { s, e in for i in s..<e { pt[i] = wj * pg[i] } }
                term.accumulateGrad(gt)
            }
        }
    }
}
