/// Looks up rows of an embedding table: `table` (vocabulary, dimension) gives (ids.count, dimension).
public func embedding(_ ids: [Int], table: Tensor) -> Tensor {
    precondition(table.rank == 2, "embedding: table must be (vocabulary, dimension), got shape \(table.shape)")
    return table.gatherRows(ids, op: "embedding", indexName: "id")
}
