extension Tensor {
    /// Gated linear unit: splits `axis` into halves `a` and `b` and returns `a * sigmoid(b)`.
    public func glu(axis: Int) -> Tensor {
        let layout = AxisLayout(shape: shape, axis: axis, op: "glu")
        precondition(
            layout.extent % 2 == 0,
            "glu: axis \(layout.axis) of shape \(shape) has odd extent \(layout.extent); it must split in halves")
        var outShape = shape
        outShape[layout.axis] = layout.extent / 2
        let out = Tensor(uninitializedShape: outShape)
        // Within each outer slab, the two halves are contiguous blocks of `half` elements.
        let half = layout.slab / 2, slab = layout.slab
        let px = UnsafePointer(data), po = out.data
        // The gate sigmoid(b) is computed eight lanes at a time (exp is the costly part) and kept
        // for the backward pass.
        let gate = TensorStorage(count: out.count)
        let pgate = gate.pointer
        parallelItems(layout.outer, workPerItem: half) { s, e in
            for r in s..<e {
                let a = px + r * slab, b = a + half, o = po + r * half
                let gr = pgate + r * half
                sigmoidRun(b, into: gr, half)
                for j in 0..<half { o[j] = a[j] * gr[j] }
            }
        }
        return out.recorded(from: [self]) { [self] g in
            // d/da = g * sigmoid(b);  d/db = g * a * sigmoid(b) * (1 - sigmoid(b))
            let gx = Tensor(uninitializedShape: shape)
            let pg = UnsafePointer(g.data), pgx = gx.data
            parallelItems(layout.outer, workPerItem: half) { s, e in
                for r in s..<e {
                    let a = px + r * slab, gr = pg + r * half
                    let ga = pgx + r * slab, gb = ga + half
                    let gate = UnsafePointer(gate.pointer) + r * half
                    for j in 0..<half {
                        let sig = gate[j]
                        ga[j] = gr[j] * sig
                        gb[j] = gr[j] * a[j] * sig * (1 - sig)
                    }
                }
            }
            accumulateGrad(gx)
        }
    }
}
