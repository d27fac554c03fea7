extension Tensor {
    /// Joins tensors along an existing axis; all other extents must agree.
    ///
    /// The gradient of each input is its block of the output's gradient.
    public static func concat(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concat: no tensors to concatenate")
        let first = tensors[0]
        let layout = AxisLayout(shape: first.shape, axis: axis, op: "concat")
        let a = layout.axis
        for t in tensors {
            precondition(
                t.rank == first.rank && t.shape[..<a] == first.shape[..<a] && t.shape[(a + 1)...] == first.shape[(a + 1)...],
                "concat: shape \(t.shape) does not match \(first.shape) outside axis \(a) (shapes \(tensors.map(\.shape)))")
        }
        if tensors.count == 1 { return first }
        let blocks = tensors.map { $0.shape[a] * layout.inner }
        var offsets = [Int](repeating: 0, count: tensors.count)
        for i in 1..<tensors.count { offsets[i] = offsets[i - 1] + blocks[i - 1] }
        let outSlab = offsets[tensors.count - 1] + blocks[tensors.count - 1]
        var outShape = first.shape
        outShape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
        let out = Tensor(uninitializedShape: outShape)
        let sources = tensors.map { UnsafePointer($0.data) }
        let o = out.data
        parallelItems(layout.outer, workPerItem: outSlab) { s, e in
            for r in s..<e {
                for (i, src) in sources.enumerated() where blocks[i] > 0 {
                    (o + r * outSlab + offsets[i]).update(from: src + r * blocks[i], count: blocks[i])
                }
            }
        }
        return out.recorded(from: tensors) { g in
            let pg = UnsafePointer(g.data)
            for (i, t) in tensors.enumerated() where t.requiresGrad {
                let gt = Tensor(uninitializedShape: t.shape)
                let dst = gt.data, block = blocks[i], offset = offsets[i]
                if block > 0 {
                    parallelItems(layout.outer, workPerItem: block) { s, e in
                        for r in s..<e { (dst + r * block).update(from: pg + r * outSlab + offset, count: block) }
                    }
                }
                t.accumulateGrad(gt)
            }
        }
    }

    /// Joins equally shaped tensors along a new axis inserted at `axis` (`0...rank`).
    public static func stack(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "stack: no tensors to stack")
        let shape = tensors[0].shape
        for t in tensors {
            precondition(t.shape == shape, "stack: shapes differ: \(tensors.map(\.shape))")
        }
        let resolved = axis < 0 ? axis + shape.count + 1 : axis
        precondition(
            resolved >= 0 && resolved <= shape.count,
            "stack: axis \(axis) is out of range for stacking tensors of shape \(shape)")
        var expanded = shape
        expanded.insert(1, at: resolved)
        // Inserting a unit axis is a free view; the copy happens once, in concat.
        let views = tensors.map { $0.reshaped(expanded) }
        if views.count == 1 { return views[0] }
        return concat(views, axis: resolved)
    }

    /// Cuts this tensor along `axis` into consecutive pieces of the given extents (which must add up
    /// to the axis' extent).
    public func split(sizes: [Int], axis: Int) -> [Tensor] {
        let layout = AxisLayout(shape: shape, axis: axis, op: "split")
        precondition(
            sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == layout.extent,
            "split: sizes \(sizes) do not add up to extent \(layout.extent) of axis \(layout.axis) of shape \(shape)")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return slice(axis: layout.axis, start: start, end: start + size)
        }
    }

    /// The elements with index in `start..<end` along `axis` (a copy).
    public func slice(axis: Int, start: Int, end: Int) -> Tensor {
        let layout = AxisLayout(shape: shape, axis: axis, op: "slice")
        precondition(
            start >= 0 && start <= end && end <= layout.extent,
            "slice: range \(start)..<\(end) is out of bounds for axis \(layout.axis) of shape \(shape)")
        if start == 0 && end == layout.extent { return self }
        var outShape = shape
        outShape[layout.axis] = end - start
        let out = Tensor(uninitializedShape: outShape)
        let block = (end - start) * layout.inner, slab = layout.slab, offset = start * layout.inner
        let src = UnsafePointer(data), dst = out.data
        if block > 0 {
            parallelItems(layout.outer, workPerItem: block) { s, e in
                for r in s..<e { (dst + r * block).update(from: src + r * slab + offset, count: block) }
            }
        }
        return out.recorded(from: [self]) { [self] g in
            let gx = Tensor(uninitializedShape: shape)
            let pg = UnsafePointer(g.data), px = gx.data
            parallelItems(layout.outer, workPerItem: slab) { s, e in
                for r in s..<e {
                    let row = px + r * slab
                    row.update(repeating: 0, count: offset)
                    if block > 0 { (row + offset).update(from: pg + r * block, count: block) }
                    (row + offset + block).update(repeating: 0, count: slab - offset - block)
                }
            }
            accumulateGrad(gx)
        }
    }
}
