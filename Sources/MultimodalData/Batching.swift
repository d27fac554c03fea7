import Tensors

/// The model inputs and targets of a batch of samples.
public struct Batch: Sendable {
    /// One tensor per modality, or per level for feature-levels modalities, flattened in modality
    /// order; each has shape `(B, sampleShape...)`.
    public var inputs: [Tensor]
    /// The class of each sample (multi-class data), otherwise nil.
    public var classes: [Int]?
    /// `B x K` targets: one-hot classes for multi-class data, the 0/1 matrix for multi-label data.
    public var targets: Tensor
}

/// The samples `indices` cut into consecutive batches of `batchSize` (the last may be smaller),
/// after a seeded shuffle when `shuffle` is true.
public func batches(indices: [Int], batchSize: Int, shuffle: Bool, rng: inout SeededGenerator) -> [[Int]] {
    precondition(batchSize > 0, "batches: batchSize must be positive, got \(batchSize)")
    var order = indices
    if shuffle { order.shuffle(using: &rng) }
    return stride(from: 0, to: order.count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, order.count)]) }
}

/// The inputs and targets of the samples `indices` of `dataset`.
public func gatherBatch(_ dataset: MultimodalDataset, indices: [Int]) -> Batch {
    let inputs = dataset.modalities.flatMap { $0.tensors.map { gatherRows($0, indices) } }
    switch dataset.labels {
    case .multiClass(let classes, let names):
        let picked = indices.map { classes[$0] }
        let targets = Tensor.zeros([indices.count, names.count])
        for (i, c) in picked.enumerated() { targets.data[i * names.count + c] = 1 }
        return Batch(inputs: inputs, classes: picked, targets: targets)
    case .multiLabel(let matrix, _):
        return Batch(inputs: inputs, classes: nil, targets: gatherRows(matrix, indices))
    }
}
