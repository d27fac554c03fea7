/// Which rows of a global batch this rank holds while a data-parallel step runs the network on
/// them, so that per-row randomness (dropout masks) can be drawn for the whole global batch, as
/// one process draws it, and sliced: every rank's generators then advance alike and a K-rank run
/// is one process's run, dropout included.
///
/// Set for the duration of a forward pass with ``withCurrent(_:_:)`` (a task-local value, so ranks
/// played by threads of one process each see their own); nil outside a data-parallel step.
///
/// ```swift
/// let shard = BatchShard(globalRows: 8, ownRows: [4..<8])
/// let logits = shard.withCurrent { network(ownInputs) }
/// ```
public struct BatchShard: Sendable, Equatable {
    /// The rows of the global batch as the network would see them in one process (for two views
    /// stacked along the batch: twice the batch).
    public let globalRows: Int
    /// This rank's rows of those, in the order it holds them: ascending, non-overlapping ranges.
    public let ownRows: [Range<Int>]

    public init(globalRows: Int, ownRows: [Range<Int>]) {
        precondition(
            ownRows.allSatisfy { $0.lowerBound >= 0 && $0.upperBound <= globalRows }
                && zip(ownRows, ownRows.dropFirst()).allSatisfy { $0.upperBound <= $1.lowerBound },
            "BatchShard: rows \(ownRows) are not ascending ranges within 0..<\(globalRows)")
        self.globalRows = globalRows
        self.ownRows = ownRows
    }

    /// How many rows this rank holds.
    public var ownCount: Int { ownRows.reduce(0) { $0 + $1.count } }

    /// The shard of the data-parallel step in progress on this task or thread.
    @TaskLocal public static var current: BatchShard?

    /// Runs `body` with this shard as ``current``.
    public func withCurrent<R>(_ body: () throws -> R) rethrows -> R {
        try BatchShard.$current.withValue(self, operation: body)
    }
}

extension Communicator {
    /// This rank's ``share(of:)`` of a global batch of `rows`, as a ``BatchShard``; with
    /// `stackedViews` views stacked along the batch (view 1's rows, then view 2's, ...), the same
    /// rows of each view.
    public func shard(ofBatch rows: Int, stackedViews: Int = 1) -> BatchShard {
        let own = share(of: rows)
        return BatchShard(
            globalRows: rows * stackedViews,
            ownRows: (0..<stackedViews).map { view in (view * rows + own.lowerBound)..<(view * rows + own.upperBound) })
    }
}
