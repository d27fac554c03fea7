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
        let out = Tensor(uninitializedShape: shape)
        let n = out.count
        let o = out.data
        let w = weights.data
        let present = terms.enumerated().compactMap { j, t in t.map { (w[j], $0.data) } }
        // One parallel region: each thread writes its chunk from the first term, then adds the
        // others while the chunk is still in cache.
        Threading.parallelFor(n) { s, e in
            let (w0, p0) = present[0]
            for i in s..<e { o[i] = w0 * p0[i] }
            for (wj, p) in present.dropFirst() { for i in s..<e { o[i] += wj * p[i] } }
        }
        return out.recorded(from: [weights] + terms.compactMap { $0 }) { g in
            let pg = g.data
            if weights.requiresGrad {
                let gw = Tensor(shape: weights.shape, repeating: 0)
                let pgw = gw.data
                let termData = terms.map { $0?.data }
                // One dot product per term, each in a fixed order; terms are spread over threads.
                Threading.parallelFor(terms.count, minimumPerThread: n >= Threading.parallelThreshold ? 1 : terms.count) { s, e in
                    for j in s..<e { if let p = termData[j] { pgw[j] = vectorDot(pg, p, n) } }
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
