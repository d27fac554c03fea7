/// A tensor viewed as `(outer, extent, inner)` around one axis, the layout every per-axis kernel
/// (concat, softmax, GLU, normalisation along an axis) walks: element `(r, k, i)` lives at
/// `(r * extent + k) * inner + i`, so the `inner` elements of one `(r, k)` are contiguous.
struct AxisLayout {
    /// The axis, normalised to `0..<rank`.
    let axis: Int
    /// Product of the extents before the axis.
    let outer: Int
    /// The axis' own extent.
    let extent: Int
    /// Product of the extents after the axis.
    let inner: Int

    /// Resolves a possibly negative `axis` of `shape`; `op` names the caller in the failure message.
    init(shape: [Int], axis: Int, op: String) {
        let resolved = axis < 0 ? axis + shape.count : axis
        precondition(
            resolved >= 0 && resolved < shape.count,
            "\(op): axis \(axis) is out of range for shape \(shape)")
        self.axis = resolved
        outer = shape[..<resolved].reduce(1, *)
        extent = shape[resolved]
        inner = shape[(resolved + 1)...].reduce(1, *)
    }

    /// Elements in one outer slab.
    var slab: Int { extent * inner }

    /// How many outer slabs one thread should take at least, so that small tensors stay on one thread.
    var minimumSlabsPerThread: Int { Swift.max(1, Threading.parallelThreshold / Swift.max(1, slab)) }
}

/// `Threading.parallelFor` for loops whose items each cost about `workPerItem` elements of work.
@inline(__always)
func parallelItems(_ count: Int, workPerItem: Int, _ body: (Int, Int) -> Void) {
    Threading.parallelFor(
        count, minimumPerThread: Swift.max(1, Threading.parallelThreshold / Swift.max(1, workPerItem)), body)
}

/// Sums `part(start, end)` over `0..<count` cut into chunks of ``Threading/parallelThreshold``
/// items, which the threads share; partial sums are combined in chunk order. The chunks depend only
/// on `count`, so the result is the same at any thread count.
func parallelSum(_ count: Int, _ part: (Int, Int) -> Double) -> Double {
    let per = Threading.parallelThreshold
    let chunks = (count + per - 1) / per
    if chunks <= 1 { return part(0, count) }
    let partials = UnsafeMutablePointer<Double>.allocate(capacity: chunks)
    defer { partials.deallocate() }
    Threading.parallelFor(chunks, minimumPerThread: 1) { s, e in
        for c in s..<e { partials[c] = part(c * per, Swift.min(count, (c + 1) * per)) }
    }
    var total = 0.0
    for c in 0..<chunks { total += partials[c] }
    return total
}
