import FusionNAS
import MultimodalData
import Tensors

/// Serves mini-batches of a ``MultimodalDataset`` to the searcher and trainers.
///
/// Labels are copied into a batch only when the caller asks for them, which self-supervised
/// search and pretraining never do.
public final class DatasetSource: BatchSource {
    public let dataset: MultimodalDataset
    /// How many batches were served with labels: evidence that a stage read none.
    public private(set) var labelledBatchesServed = 0

    public init(dataset: MultimodalDataset) { self.dataset = dataset }

    public var modalityNames: [String] { dataset.modalityNames }

    public var task: TaskKind {
        switch dataset.labels {
        case .multiClass(_, let names): .multiClass(classes: names.count)
        case .multiLabel(_, let names): .multiLabel(labels: names.count)
        }
    }

    /// The registry encoder for a modality and what it is built from: the one the modality names
    /// (from a manifest's `encoder` key) or else its kind's default: `mlp` for vectors, `cnn` for
    /// images, `conv1d` for sequences, `precomputed` (used frozen) for feature levels.
    public func encoderConfiguration(modality index: Int) -> (encoder: String, configuration: EncoderConfiguration) {
        let (name, configuration) = defaultEncoderConfiguration(modality: index)
        return (dataset.modalities[index].encoder ?? name, configuration)
    }

    private func defaultEncoderConfiguration(modality index: Int) -> (encoder: String, configuration: EncoderConfiguration) {
        let modality = dataset.modalities[index]
        switch modality.kind {
        case .vector:
            return ("mlp", EncoderConfiguration(modality: modality.name, sampleShape: modality.sampleShape))
        case .image:
            var shape = modality.sampleShape
            if shape.count == 2 { shape.insert(1, at: 0) }
            return ("cnn", EncoderConfiguration(modality: modality.name, sampleShape: shape))
        case .sequence:
            return ("conv1d", EncoderConfiguration(modality: modality.name, sampleShape: modality.sampleShape))
        case .featureLevels:
            let levels = modality.sampleShapes.map { s in
                FeatureLevelShape(channels: s[0], length: s.count > 1 ? s[1] : 1)
            }
            return (
                "precomputed",
                EncoderConfiguration(
                    modality: modality.name, sampleShape: modality.sampleShape, levels: levels.count, levelShapes: levels)
            )
        }
    }

    public func batch(_ indices: [Int], withLabels: Bool) -> FusionNAS.Batch {
        let inputs: [[Tensor]] = dataset.modalities.map { modality in
            modality.tensors.map { tensor in
                let rows = gatherRows(tensor, indices)
                // Images stored as (N, H, W) get their channel axis.
                if modality.kind == .image && rows.rank == 3 {
                    return rows.reshaped([rows.shape[0], 1, rows.shape[1], rows.shape[2]])
                }
                return rows
            }
        }
        guard withLabels else { return FusionNAS.Batch(inputs: inputs, targets: nil) }
        labelledBatchesServed += 1
        switch dataset.labels {
        case .multiClass(let classes, _):
            return FusionNAS.Batch(inputs: inputs, targets: .classes(indices.map { classes[$0] }))
        case .multiLabel(let matrix, _):
            return FusionNAS.Batch(inputs: inputs, targets: .multiLabel(gatherRows(matrix, indices)))
        }
    }
}
