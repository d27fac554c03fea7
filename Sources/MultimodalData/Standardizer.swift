import Tensors

/// Per-feature standardisation `(x - mean) / std` fitted on training samples only, so that no
/// statistic of validation or test data leaks into training.
///
/// Every element of a sample's shape is one feature (a pixel of an image, a channel-time cell of a
/// sequence, one cell of each feature level). A feature that is constant on the training samples
/// gets std 1, so it is centred but not blown up.
public struct Standardizer: Sendable, Codable, Equatable {
    /// Per modality, per tensor (level), the mean of each feature.
    public var means: [[[Float]]]
    /// Per modality, per tensor (level), the standard deviation of each feature (1 where constant).
    public var deviations: [[[Float]]]

    /// Fits the statistics on the rows `indices` of every modality of `dataset`.
    public static func fit(_ dataset: MultimodalDataset, on indices: [Int]) throws -> Standardizer {
        guard !indices.isEmpty else { throw DataError(dataset.name, "cannot fit a standardizer on 0 samples") }
        var means = [[[Float]]](), deviations = [[[Float]]]()
        for modality in dataset.modalities {
            var modalityMeans = [[Float]](), modalityDeviations = [[Float]]()
            for tensor in modality.tensors {
                let width = elementCount(Array(tensor.shape.dropFirst()))
                var sum = [Double](repeating: 0, count: width), sumSquares = sum
                // Columns in parallel, each summed over the rows in order: the same sums on any
                // thread count, and gigabyte-sized data is read in a fraction of the time.
                let data = UnsafePointer(tensor.data)
                sum.withUnsafeMutableBufferPointer { sum in
                    sumSquares.withUnsafeMutableBufferPointer { sumSquares in
                        indices.withUnsafeBufferPointer { indices in
                            Threading.parallelFor(width, minimumPerThread: max(1, Threading.parallelThreshold / max(indices.count, 1))) { start, end in
                                for row in indices {
                                    let base = data + row * width
                                    for j in start..<end {
                                        let v = Double(base[j])
                                        sum[j] += v
                                        sumSquares[j] += v * v
                                    }
                                }
                            }
                        }
                    }
                }
                let n = Double(indices.count)
                let mean = sum.map { $0 / n }
                let std = (0..<width).map { j -> Float in
                    let variance = max(0, sumSquares[j] / n - mean[j] * mean[j])
                    let s = variance.squareRoot()
                    return s > 1e-12 * max(1, abs(mean[j])) ? Float(s) : 1
                }
                modalityMeans.append(mean.map { Float($0) })
                modalityDeviations.append(std)
            }
            means.append(modalityMeans)
            deviations.append(modalityDeviations)
        }
        return Standardizer(means: means, deviations: deviations)
    }

    /// A copy of `dataset` with every sample standardised (the dataset's own tensors are untouched).
    public func apply(to dataset: MultimodalDataset) throws -> MultimodalDataset {
        guard dataset.modalities.count == means.count,
              zip(dataset.modalities, means).allSatisfy({ $0.tensors.count == $1.count })
        else {
            throw DataError(dataset.name, "the standardizer was fitted on \(means.count) modalities with other shapes")
        }
        var copy = dataset
        for m in dataset.modalities.indices {
            copy.modalities[m].tensors = try dataset.modalities[m].tensors.enumerated().map { level, tensor in
                let mean = means[m][level], std = deviations[m][level]
                let width = mean.count
                guard tensor.count == tensor.shape[0] * width else {
                    throw DataError(dataset.name, "modality '\(dataset.modalities[m].name)' shape \(tensor.shape) does not match \(width) fitted features")
                }
                let out = Tensor(uninitializedShape: tensor.shape)
                let source = UnsafePointer(tensor.data), target = out.data
                // Rows in parallel: MM-IMDB-sized data is gigabytes, and each element is written once.
                mean.withUnsafeBufferPointer { mean in
                    std.withUnsafeBufferPointer { std in
                        Threading.parallelFor(tensor.shape[0], minimumPerThread: max(1, Threading.parallelThreshold / max(width, 1))) { start, end in
                            for row in start..<end {
                                let x = source + row * width, y = target + row * width
                                for j in 0..<width { y[j] = (x[j] - mean[j]) / std[j] }
                            }
                        }
                    }
                }
                return out
            }
        }
        return copy
    }
}
