extension Tensor {
    /// This tensor's rows (axis 0) from every rank, concatenated in rank order, with the gradient
    /// flowing back to this rank's own rows: open_clip's `gather_with_grad`, so a contrastive loss
    /// on the result sees the negatives of the whole global batch.
    ///
    /// Ranks may hold different row counts; the other axes must agree. As in open_clip, the
    /// backward pass sums over the ranks the gradient each rank computed for these rows (a
    /// reduce-scatter, added in rank order). Every rank computes the same loss from the same
    /// gathered rows, so this rank's rows receive K times the global loss's gradient; averaging the
    /// parameter gradients over the K ranks, as any data-parallel step does, then yields the
    /// global gradient both for parameters before the gather (each rank holds a part of it) and
    /// after it (a loss's logit scale: each rank holds all of it).
    ///
    /// Cost: one `MPI_Allgatherv` of this tensor forward, one of the gathered gradient backward.
    public func gatheredRows(over communicator: Communicator) -> Tensor {
        precondition(rank >= 1, "gatheredRows: a scalar has no rows")
        let rowSize = shape.dropFirst().reduce(1, *)
        let (values, counts) = communicator.allGather(UnsafeBufferPointer(start: data, count: count))
        precondition(
            counts.allSatisfy { rowSize == 0 ? $0 == 0 : $0 % rowSize == 0 },
            "gatheredRows: ranks sent \(counts) values, not whole rows of shape \(Array(shape.dropFirst()))")
        let total = values.count
        let first = counts[..<communicator.rank].reduce(0, +), mine = count
        let gathered = Tensor(shape: [rowSize == 0 ? 0 : total / rowSize] + shape.dropFirst(), values: values)
        return gathered.recorded(from: [self]) { [self] g in
            let (all, _) = communicator.allGather(UnsafeBufferPointer(start: g.data, count: g.count))
            let gx = Tensor.zeros(shape)
            let out = gx.data
            all.withUnsafeBufferPointer { source in
                for r in 0..<communicator.size {
                    let shard = source.baseAddress! + r * total + first
                    for i in 0..<mine { out[i] += shard[i] }
                }
            }
            accumulateGrad(gx)
        }
    }
}
