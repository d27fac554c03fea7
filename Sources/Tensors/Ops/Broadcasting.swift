/// NumPy broadcasting rules: trailing axes are aligned; an extent of 1 stretches.
public func broadcastShape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        guard da == db || da == 1 || db == 1 else {
            preconditionFailure("\(op): shapes \(a) and \(b) cannot be broadcast together (axis \(i): \(da) vs \(db))")
        }
        out[i] = da == 1 ? db : da
    }
    return out
}

/// Row-major strides of `shape` as seen from `outShape`: 0 along broadcast axes.
func broadcastStrides(_ shape: [Int], to outShape: [Int]) -> [Int] {
    let pad = outShape.count - shape.count
    var strides = [Int](repeating: 0, count: outShape.count)
    var running = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[i + pad] = shape[i] == 1 ? 0 : running
        running *= shape[i]
    }
    return strides
}

/// Applies `f` elementwise over two broadcast operands into `out` (shape `outShape`).
@inline(__always)
func broadcastApply(
    _ a: Tensor, _ b: Tensor, _ out: Tensor, _ f: (Float, Float) -> Float
) {
    let pa = a.data, pb = b.data, po = out.data
    let n = out.count
    // The fast paths need the full-size operand to have the output's layout; `broadcasted(to:)`
    // passes an `a` smaller than `out`, which must take the general path.
    if a.shape == b.shape && a.count == n {
        Threading.parallelFor(n) { s, e in for i in s..<e { po[i] = f(pa[i], pb[i]) } }
        return
    }
    if b.count == 1 && a.count == n {
        let v = pb[0]
        Threading.parallelFor(n) { s, e in for i in s..<e { po[i] = f(pa[i], v) } }
        return
    }
    if a.count == 1 && b.count == n {
        let v = pa[0]
        Threading.parallelFor(n) { s, e in for i in s..<e { po[i] = f(v, pb[i]) } }
        return
    }
    let shape = out.shape
    let rank = shape.count
    if n == 0 { return }
    let sa = broadcastStrides(a.shape, to: shape)
    let sb = broadcastStrides(b.shape, to: shape)
    // Walk the outer axes with an index counter; the innermost axis is a tight loop. Each thread
    // takes a range of rows and derives its starting counter from its first row.
    let inner = shape[rank - 1]
    let ia = sa[rank - 1], ib = sb[rank - 1]
    let outer = n / inner
    Threading.parallelFor(outer, minimumPerThread: Swift.max(1, Threading.parallelThreshold / inner)) { first, last in
        var index = [Int](repeating: 0, count: rank)
        var oa = 0, ob = 0
        var rest = first
        for axis in stride(from: rank - 2, through: 0, by: -1) {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
            oa += index[axis] * sa[axis]
            ob += index[axis] * sb[axis]
        }
        for row in first..<last {
            let base = row * inner
            if ia == 1 && ib == 1 {
                for j in 0..<inner { po[base + j] = f(pa[oa + j], pb[ob + j]) }
            } else if ia == 0 {
                let v = pa[oa]
                for j in 0..<inner { po[base + j] = f(v, pb[ob + j * ib]) }
            } else if ib == 0 {
                let v = pb[ob]
                for j in 0..<inner { po[base + j] = f(pa[oa + j * ia], v) }
            } else {
                for j in 0..<inner { po[base + j] = f(pa[oa + j * ia], pb[ob + j * ib]) }
            }
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                oa += sa[axis]; ob += sb[axis]
                if index[axis] < shape[axis] { break }
                oa -= sa[axis] * shape[axis]; ob -= sb[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}

extension Tensor {
    /// Sums a broadcast gradient back to `target`'s shape (the backward of broadcasting).
    public func sumToShape(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        let pad = rank - target.count
        precondition(pad >= 0, "sumToShape: cannot reduce \(shape) to the larger shape \(target)")
        var axes: [Int] = Array(0..<pad)
        for i in 0..<target.count where target[i] == 1 && shape[i + pad] != 1 { axes.append(i + pad) }
        return sum(axes: axes, keepDims: true).reshaped(target)
    }
}
