import Tensors

/// The targets of a dataset.
public enum Labels: Sendable {
    /// One class index in `0..<classNames.count` per sample.
    case multiClass([Int], classNames: [String])
    /// An `N x K` tensor of 0/1 entries, one column per label name.
    case multiLabel(Tensor, labelNames: [String])

    /// The number of samples labelled.
    public var sampleCount: Int {
        switch self {
        case .multiClass(let classes, _): return classes.count
        case .multiLabel(let matrix, _): return matrix.shape.first ?? 0
        }
    }

    /// The number of classes (multi-class) or labels (multi-label).
    public var outputCount: Int {
        switch self {
        case .multiClass(_, let names): return names.count
        case .multiLabel(_, let names): return names.count
        }
    }

    /// The labels of the given samples, in that order.
    public func selecting(_ indices: [Int]) -> Labels {
        switch self {
        case .multiClass(let classes, let names):
            return .multiClass(indices.map { classes[$0] }, classNames: names)
        case .multiLabel(let matrix, let names):
            return .multiLabel(gatherRows(matrix, indices), labelNames: names)
        }
    }

    /// Checks that every class index is in range and every class occurs (multi-class), or that the
    /// matrix is `N x K` with 0/1 entries (multi-label); `source` names the file in the error.
    public func validate(source: String) throws {
        switch self {
        case .multiClass(let classes, let names):
            var seen = [Bool](repeating: false, count: names.count)
            for (row, c) in classes.enumerated() {
                guard c >= 0 && c < names.count else {
                    throw DataError(source, "label \(c) at row \(row) is out of range 0..<\(names.count)")
                }
                seen[c] = true
            }
            if let missing = seen.firstIndex(of: false) {
                throw DataError(source, "class \(missing) ('\(names[missing])') has no sample")
            }
        case .multiLabel(let matrix, let names):
            guard matrix.rank == 2, matrix.shape[1] == names.count else {
                throw DataError(source, "multi-label matrix of shape \(matrix.shape) does not match \(names.count) label names")
            }
            let k = names.count
            // Without a column or a positive entry there is nothing to learn, and the metrics
            // divide by the positives: refused here rather than trained on as silent zeros.
            guard k > 0 else {
                throw DataError(source, "multi-label labels have 0 columns (shape \(matrix.shape)); give one column per label, at least one")
            }
            for i in 0..<matrix.count where matrix.data[i] != 0 && matrix.data[i] != 1 {
                throw DataError(source, "multi-label entry \(matrix.data[i]) at row \(i / k), column \(i % k) is not 0 or 1")
            }
            guard (0..<matrix.count).contains(where: { matrix.data[$0] == 1 }) else {
                throw DataError(source, "every multi-label entry is 0, so no sample has a label; mark each sample's labels with 1")
            }
        }
    }
}

/// The rows `indices` of a tensor whose first axis is samples.
public func gatherRows(_ tensor: Tensor, _ indices: [Int]) -> Tensor {
    let rowShape = Array(tensor.shape.dropFirst())
    let width = elementCount(rowShape)
    let out = Tensor(uninitializedShape: [indices.count] + rowShape)
    let source = UnsafePointer(tensor.data), target = out.data
    // Rows in parallel: a BM-NAS-scale batch gathers 14 MB from random places in gigabytes of features.
    indices.withUnsafeBufferPointer { indices in
        Threading.parallelFor(indices.count, minimumPerThread: max(1, Threading.parallelThreshold / max(width, 1))) { start, end in
            for i in start..<end { (target + i * width).update(from: source + indices[i] * width, count: width) }
        }
    }
    return out
}
