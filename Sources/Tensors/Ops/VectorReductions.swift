/// Vectorised reductions over contiguous Float32 runs.
///
/// A plain `for i in 0..<n { sum += p[i] }` cannot be vectorised (floating-point addition is not
/// associative, so the compiler keeps the serial order) and runs at one add per add-latency. These
/// helpers accumulate in two 8-lane vectors in a fixed order, so they are both fast and
/// reproducible: the result depends only on the data and `n`, never on threads or timing.
///
/// Products are a multiply then an add, not `addingProduct`: without FMA in the baseline target,
/// `SIMD.addingProduct` becomes one `fmaf` library call per lane.

@usableFromInline typealias Lanes = SIMD8<Float>

@inlinable @inline(__always)
func loadLanes(_ p: UnsafePointer<Float>, _ i: Int) -> Lanes {
    UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self)
}

/// `sum_i p[i]`.
@inlinable
public func vectorSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var a0 = Lanes(), a1 = Lanes()
    var i = 0
    while i + 16 <= n {
        a0 += loadLanes(p, i)
        a1 += loadLanes(p, i + 8)
        i += 16
    }
    var s = (a0 + a1).sum()
    while i < n { s += p[i]; i += 1 }
    return s
}

/// `sum_i a[i] * b[i]`.
@inlinable
public func vectorDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var a0 = Lanes(), a1 = Lanes()
    var i = 0
    while i + 16 <= n {
        a0 += loadLanes(a, i) * loadLanes(b, i)
        a1 += loadLanes(a, i + 8) * loadLanes(b, i + 8)
        i += 16
    }
    var s = (a0 + a1).sum()
    while i < n { s += a[i] * b[i]; i += 1 }
    return s
}

/// `sum_i (p[i] - mean)²`.
@inlinable
public func vectorSquaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, mean: Float) -> Float {
    var a0 = Lanes(), a1 = Lanes()
    let m = Lanes(repeating: mean)
    var i = 0
    while i + 16 <= n {
        let d0 = loadLanes(p, i) - m, d1 = loadLanes(p, i + 8) - m
        a0 += d0 * d0
        a1 += d1 * d1
        i += 16
    }
    var s = (a0 + a1).sum()
    while i < n { let d = p[i] - mean; s += d * d; i += 1 }
    return s
}

/// `(sum_i g[i], sum_i g[i] * (x[i] - mean))`: the two sums of a normalisation's backward pass.
@inlinable
public func vectorSumAndCenteredDot(
    _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, mean: Float
) -> (Float, Float) {
    var s0 = Lanes(), s1 = Lanes(), d0 = Lanes(), d1 = Lanes()
    let m = Lanes(repeating: mean)
    var i = 0
    while i + 16 <= n {
        let g0 = loadLanes(g, i), g1 = loadLanes(g, i + 8)
        s0 += g0
        s1 += g1
        d0 += g0 * (loadLanes(x, i) - m)
        d1 += g1 * (loadLanes(x, i + 8) - m)
        i += 16
    }
    var sum = (s0 + s1).sum(), dot = (d0 + d1).sum()
    while i < n { sum += g[i]; dot += g[i] * (x[i] - mean); i += 1 }
    return (sum, dot)
}

/// `(sum_i g[i] w[i], sum_i g[i] w[i] (x[i] - mean))`: layer normalisation's backward sums with a weight.
@inlinable
public func vectorWeightedSumAndCenteredDot(
    _ g: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, mean: Float
) -> (Float, Float) {
    var s0 = Lanes(), s1 = Lanes(), d0 = Lanes(), d1 = Lanes()
    let m = Lanes(repeating: mean)
    var i = 0
    while i + 16 <= n {
        let g0 = loadLanes(g, i) * loadLanes(w, i), g1 = loadLanes(g, i + 8) * loadLanes(w, i + 8)
        s0 += g0
        s1 += g1
        d0 += g0 * (loadLanes(x, i) - m)
        d1 += g1 * (loadLanes(x, i + 8) - m)
        i += 16
    }
    var sum = (s0 + s1).sum(), dot = (d0 + d1).sum()
    while i < n { let d = g[i] * w[i]; sum += d; dot += d * (x[i] - mean); i += 1 }
    return (sum, dot)
}
