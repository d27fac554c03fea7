extension Tensor {
    /// Matrix product of two rank-2 tensors, optionally transposing either operand (no copy is made:
    /// the transposes go to `cblas_sgemm`).
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        precondition(
            rank == 2 && other.rank == 2,
            "matmul: expects two matrices, got shapes \(shape) and \(other.shape)")
        let m = transposeSelf ? shape[1] : shape[0]
        let k = transposeSelf ? shape[0] : shape[1]
        let k2 = transposeOther ? other.shape[1] : other.shape[0]
        let n = transposeOther ? other.shape[0] : other.shape[1]
        precondition(
            k == k2,
            "matmul: inner dimensions differ: \(shape)\(transposeSelf ? "ᵀ" : "") x \(other.shape)\(transposeOther ? "ᵀ" : "") (\(k) vs \(k2))")
        let out = Tensor(uninitializedShape: [m, n])
        sgemm(transA: transposeSelf, transB: transposeOther, m: m, n: n, k: k, a: data, b: other.data, c: out.data)
        let a = self, b = other
        return out.recorded(from: [a, b]) { g in
            if a.requiresGrad {
                // dA = g * op(B)^T; when A was transposed, dA = op(B) * g^T.
                let ga = Tensor(uninitializedShape: a.shape)
                if transposeSelf {
                    sgemm(transA: transposeOther, transB: true, m: k, n: m, k: n, a: b.data, b: g.data, c: ga.data)
                } else {
                    sgemm(transA: false, transB: !transposeOther, m: m, n: k, k: n, a: g.data, b: b.data, c: ga.data)
                }
                a.accumulateGrad(ga)
            }
            if b.requiresGrad {
                // dB = op(A)^T * g  (or its transpose when B was transposed)
                let gb = Tensor(uninitializedShape: b.shape)
                if transposeOther {
                    sgemm(transA: true, transB: transposeSelf, m: n, n: k, k: m, a: g.data, b: a.data, c: gb.data)
                } else {
                    sgemm(transA: !transposeSelf, transB: false, m: k, n: n, k: m, a: a.data, b: g.data, c: gb.data)
                }
                b.accumulateGrad(gb)
            }
        }
    }

    /// Batched matrix product of rank-3 tensors (batch, m, k) x (batch, k, n), with optional transposes
    /// of the last two axes of either operand.
    public func batchedMatmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        precondition(
            rank == 3 && other.rank == 3 && shape[0] == other.shape[0],
            "batchedMatmul: expects (batch, m, k) and (batch, k, n) with equal batch, got \(shape) and \(other.shape)")
        let batch = shape[0]
        let m = transposeSelf ? shape[2] : shape[1]
        let k = transposeSelf ? shape[1] : shape[2]
        let k2 = transposeOther ? other.shape[2] : other.shape[1]
        let n = transposeOther ? other.shape[1] : other.shape[2]
        precondition(k == k2, "batchedMatmul: inner dimensions differ: \(shape) x \(other.shape) (\(k) vs \(k2))")
        let out = Tensor(uninitializedShape: [batch, m, n])
        let sa = m * k, sb = k * n, sc = m * n
        let pa = data, pb = other.data, pc = out.data
        for i in 0..<batch {
            sgemm(transA: transposeSelf, transB: transposeOther, m: m, n: n, k: k, a: pa + i * sa, b: pb + i * sb, c: pc + i * sc)
        }
        let a = self, b = other
        return out.recorded(from: [a, b]) { g in
            let pg = g.data
            if a.requiresGrad {
                let ga = Tensor(uninitializedShape: a.shape)
                for i in 0..<batch {
                    if transposeSelf {
                        sgemm(transA: transposeOther, transB: true, m: k, n: m, k: n, a: b.data + i * sb, b: pg + i * sc, c: ga.data + i * sa)
                    } else {
                        sgemm(transA: false, transB: !transposeOther, m: m, n: k, k: n, a: pg + i * sc, b: b.data + i * sb, c: ga.data + i * sa)
                    }
                }
                a.accumulateGrad(ga)
            }
            if b.requiresGrad {
                let gb = Tensor(uninitializedShape: b.shape)
                for i in 0..<batch {
                    if transposeOther {
                        sgemm(transA: true, transB: transposeSelf, m: n, n: k, k: m, a: pg + i * sc, b: a.data + i * sa, c: gb.data + i * sb)
                    } else {
                        sgemm(transA: !transposeSelf, transB: false, m: k, n: n, k: m, a: a.data + i * sa, b: pg + i * sc, c: gb.data + i * sb)
                    }
                }
                b.accumulateGrad(gb)
            }
        }
    }
}
