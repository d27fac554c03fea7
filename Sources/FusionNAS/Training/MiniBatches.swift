import Tensors

/// Splits `indices` into mini-batches, shuffled with `rng` when asked; a last batch smaller than
/// `minimumLast` is merged into the previous one (batch norm and contrastive losses need more than one sample).
public func miniBatches(
    _ indices: [Int], batchSize: Int, shuffle: Bool, rng: inout SeededGenerator, minimumLast: Int = 2
) -> [[Int]] {
    precondition(batchSize >= 1, "miniBatches: batch size must be >= 1, got \(batchSize)")
    var order = indices
    if shuffle {
        // Fisher-Yates with our generator, so the order depends only on the seed.
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
    }
    var batches: [[Int]] = stride(from: 0, to: order.count, by: batchSize).map {
        Array(order[$0..<min(order.count, $0 + batchSize)])
    }
    if batches.count > 1, let last = batches.last, last.count < minimumLast {
        batches.removeLast()
        batches[batches.count - 1] += last
    }
    return batches
}
