/// Affine maps as single GEMMs with one recorded backward each: the fully connected layer and the
/// kernel-size-1 convolution (BM-NAS's reshape layer). Both run in the search's inner loop, so the
/// bias add and an optional ReLU are fused into the pass that writes the output instead of being
/// separate recorded ops.

/// `x Wᵀ + b`, optionally followed by ReLU, for `x` (batch, inputs) and `weight` (outputs, inputs).
///
/// The output is initialised with the broadcast bias and the product is accumulated onto it by one
/// `sgemm` with beta = 1. The backward pass is two `sgemm`s (dx = g W, dW = gᵀ x) and a column sum.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?, relu: Bool = false) -> Tensor {
    precondition(
        x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1],
        "linear: input \(x.shape) and weight \(weight.shape) do not form (batch, in) x (out, in)")
    let batch = x.shape[0], inputs = x.shape[1], outputs = weight.shape[0]
    if let bias {
        precondition(
            bias.count == outputs,
            "linear: bias shape \(bias.shape) does not have \(outputs) elements (weight \(weight.shape))")
    }
    let out = Tensor(uninitializedShape: [batch, outputs])
    let po = out.data
    if let bias {
        let pb = bias.data
        // In parallel: on one thread these copies were a tenth of the serial time between the
        // products of a training step of REFERENCE.md's MLP.
        Threading.parallelFor(batch, minimumPerThread: max(1, Threading.parallelThreshold / outputs)) { s, e in
            for r in s..<e { (po + r * outputs).update(from: pb, count: outputs) }
        }
    }
    sgemm(
        transA: false, transB: true, m: batch, n: outputs, k: inputs,
        a: x.data, b: weight.data, beta: bias == nil ? 0 : 1, c: po)
    if relu {
        // max, not a conditional store, so that the loop vectorises.
        Threading.parallelFor(out.count) { s, e in for i in s..<e { po[i] = Swift.max(po[i], 0) } }
    }
    var recordedInputs = [x, weight]
    if let bias { recordedInputs.append(bias) }
    return out.recorded(from: recordedInputs) { g in
        // With ReLU the incoming gradient is masked where the output was clipped to zero.
        let gy: Tensor
        if relu {
            gy = Tensor(uninitializedShape: g.shape)
            let pg = g.data, pm = gy.data, py = out.data
            // Both loads unconditional, so that the select vectorises.
            Threading.parallelFor(g.count) { s, e in
                for i in s..<e {
                    let gv = pg[i]
                    pm[i] = py[i] > 0 ? gv : 0
                }
            }
        } else {
            gy = g
        }
        if x.requiresGrad {
            let gx = Tensor(uninitializedShape: x.shape)
            sgemm(transA: false, transB: false, m: batch, n: inputs, k: outputs, a: gy.data, b: weight.data, c: gx.data)
            x.accumulateGrad(gx)
        }
        if weight.requiresGrad {
            let gw = Tensor(uninitializedShape: weight.shape)
            sgemm(transA: true, transB: false, m: outputs, n: inputs, k: batch, a: gy.data, b: x.data, c: gw.data)
            weight.accumulateGrad(gw)
        }
        if let bias, bias.requiresGrad {
            bias.accumulateGrad(columnSums(gy.data, rows: batch, columns: outputs, shape: bias.shape))
        }
    }
}

/// A kernel-size-1 convolution: `x` (B, Cin, L) to (B, Cout, L) with `weight` (Cout, Cin) or
/// (Cout, Cin, 1) and `bias` (Cout).
///
/// Short sequences are rearranged to (Cin, B·L) by moving whole L-element rows, so that the whole
/// batch is one large `sgemm` with no element-wise transpose;
/// long sequences (L ≥ 32) use one `sgemm` per sample directly on the (Cin, L) blocks, which needs
/// no transposes. L = 1 is already laid out as (B, Cin) and goes straight to ``linear(_:weight:bias:relu:)``.
public func pointwiseConv1d(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    precondition(
        x.rank == 3 && weight.rank >= 2 && weight.shape[1] == x.shape[1]
            && weight.count == weight.shape[0] * weight.shape[1],
        "pointwiseConv1d: input \(x.shape) and weight \(weight.shape) do not form (B, Cin, L) and (Cout, Cin[, 1])")
    let batch = x.shape[0], cin = x.shape[1], length = x.shape[2], cout = weight.shape[0]
    if let bias {
        precondition(
            bias.count == cout,
            "pointwiseConv1d: bias shape \(bias.shape) does not have \(cout) elements (weight \(weight.shape))")
    }
    if length == 1 {
        let w2 = weight.rank == 2 ? weight : weight.reshaped([cout, cin])
        return linear(x.reshaped([batch, cin]), weight: w2, bias: bias).reshaped([batch, cout, 1])
    }
    let out = Tensor(uninitializedShape: [batch, cout, length])
    let px = x.data, pw = weight.data, po = out.data
    let perSample = length >= 32
    // The transposed input is kept for dW in the backward pass.
    var xT: TensorStorage? = nil
    if perSample {
        for b in 0..<batch {
            let dst = po + b * cout * length
            if let bias {
                for co in 0..<cout { (dst + co * length).update(repeating: bias.data[co], count: length) }
            }
            sgemm(
                transA: false, transB: false, m: cout, n: length, k: cin,
                a: pw, b: px + b * cin * length, beta: bias == nil ? 0 : 1, c: dst)
        }
    } else {
        // (B, Cin, L) -> (Cin, B·L) by moving whole L-rows, one GEMM for the batch, then back to
        // (B, Cout, L) with the bias added during that copy.
        let rows = batch * length
        let permuted = TensorStorage(count: rows * cin)
        swapOuterAxes(px, into: permuted.pointer, outer: batch, inner: cin, length: length)
        let yP = TensorStorage(count: rows * cout)
        sgemm(transA: false, transB: false, m: cout, n: rows, k: cin, a: pw, b: permuted.pointer, c: yP.pointer)
        // The bias is added while the rows move back, not in a pass of its own.
        swapOuterAxes(yP.pointer, into: po, outer: cout, inner: batch, length: length, outerBias: bias.map { UnsafePointer($0.data) })
        xT = permuted
    }
    var recordedInputs = [x, weight]
    if let bias { recordedInputs.append(bias) }
    return out.recorded(from: recordedInputs) { g in
        let pg = g.data
        if perSample {
            if x.requiresGrad {
                let gx = Tensor(uninitializedShape: x.shape)
                for b in 0..<batch {
                    sgemm(
                        transA: true, transB: false, m: cin, n: length, k: cout,
                        a: pw, b: pg + b * cout * length, c: gx.data + b * cin * length)
                }
                x.accumulateGrad(gx)
            }
            if weight.requiresGrad {
                let gw = Tensor(uninitializedShape: weight.shape)
                for b in 0..<batch {
                    sgemm(
                        transA: false, transB: true, m: cout, n: cin, k: length,
                        a: pg + b * cout * length, b: px + b * cin * length, beta: b == 0 ? 0 : 1, c: gw.data)
                }
                weight.accumulateGrad(gw)
            }
        } else {
            let rows = batch * length
            let gP = TensorStorage(count: rows * cout)
            swapOuterAxes(pg, into: gP.pointer, outer: batch, inner: cout, length: length)
            if x.requiresGrad {
                let gxP = TensorStorage(count: rows * cin)
                sgemm(transA: true, transB: false, m: cin, n: rows, k: cout, a: pw, b: gP.pointer, c: gxP.pointer)
                let gx = Tensor(uninitializedShape: x.shape)
                swapOuterAxes(gxP.pointer, into: gx.data, outer: cin, inner: batch, length: length)
                x.accumulateGrad(gx)
            }
            if weight.requiresGrad, let xT {
                let gw = Tensor(uninitializedShape: weight.shape)
                sgemm(transA: false, transB: true, m: cout, n: cin, k: rows, a: gP.pointer, b: xT.pointer, c: gw.data)
                weight.accumulateGrad(gw)
            }
        }
        if let bias, bias.requiresGrad {
            let gb = Tensor(shape: bias.shape, repeating: 0)
            let pb = gb.data
            for b in 0..<batch {
                for co in 0..<cout {
                    let src = pg + (b * cout + co) * length
                    var acc: Float = 0
                    for l in 0..<length { acc += src[l] }
                    pb[co] += acc
                }
            }
            bias.accumulateGrad(gb)
        }
    }
}

/// Sums the columns of a dense (rows, columns) matrix into a tensor of `shape` (columns elements).
func columnSums(_ p: UnsafePointer<Float>, rows: Int, columns: Int, shape: [Int]) -> Tensor {
    let out = Tensor(shape: shape, repeating: 0)
    let po = out.data
    for r in 0..<rows {
        let row = p + r * columns
        for c in 0..<columns { po[c] += row[c] }
    }
    return out
}
