import FusionNAS
import MultimodalData
import Tensors

/// The datasets `--dataset` accepts by name, besides manifests and MM-IMDB `.hdf5` files.
public enum BuiltInDatasets {
    /// Names with what they are, for help texts and error messages.
    public static let descriptions = [
        ("uci-mfeat", "UCI Multiple Features, 2,000 digits, six real views (embedded; the default)"),
        ("satellite", "Statlog Landsat, 6,435 3x3 patches, 6 soil/crop classes, four spectral bands as 1x3x3 images (embedded)"),
        ("smartwatch-imu", "smartwatch exercises, 4,677 2 s windows, 7 classes, accelerometer and gyroscope as (3, 100) sequences, split by subject (embedded)"),
        ("synthetic-mmimdb[:N]", "MM-IMDB-shaped synthetic data: image levels 4 x (512, 16), text levels (64, 16) and (128, 16), 23 labels; N samples (default 25,959, MM-IMDB's split)"),
        ("synthetic-planted[:N]", "planted multiplicative interaction between two feature levels (default 2,000 samples)"),
    ]

    /// The dataset a name stands for, or nil when `name` is not a built-in name.
    public static func load(_ name: String, seed: UInt64 = 0) throws -> MultimodalDataset? {
        let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
        func count(default fallback: Int) throws -> Int {
            guard parts.count == 2 else { return fallback }
            guard let n = Int(parts[1]), n >= 20 else {
                throw ComponentError("dataset '\(name)': the sample count after ':' must be a whole number >= 20, e.g. \(parts[0]):5000")
            }
            return n
        }
        let fixedSize = [EmbeddedDatasets.uciMFeatName, EmbeddedDatasets.satelliteName, EmbeddedDatasets.smartwatchIMUName]
        if parts.count == 2 && fixedSize.contains(parts[0]) {
            // A real dataset has the size it has; a suffix would be silently ignored.
            throw ComponentError("dataset '\(name)': \(parts[0]) is a real dataset of fixed size and takes no ':N'; use --dataset \(parts[0])")
        }
        switch parts[0] {
        case EmbeddedDatasets.uciMFeatName:
            return try EmbeddedDatasets.uciMFeat(modalities: EmbeddedDatasets.uciMFeatViews)
        case EmbeddedDatasets.satelliteName:
            return try EmbeddedDatasets.satellite()
        case EmbeddedDatasets.smartwatchIMUName:
            return try EmbeddedDatasets.smartwatchIMU()
        case "synthetic-mmimdb":
            let samples = try count(default: 25_959)
            // Image levels 4 x 512 x 16, text levels 64 x 16 and 128 x 16, 23 labels: 4-byte floats.
            try MemoryBudget.require(
                MemoryBudget.product([samples, 4 * 512 * 16 + 64 * 16 + 128 * 16 + 23, 4]),
                for: "dataset '\(name)' (\(samples) samples of 35,863 floats)", fix: "choose fewer samples, e.g. synthetic-mmimdb:25959")
            let generator = SyntheticData.mmimdbShaped(samples: samples, seed: seed)
            // Built directly rather than through materialize(), whose cap is meant for tests: the
            // full MM-IMDB size needs about 3.7 GB, which the reference machines have.
            let all = generator.batch(samples: Array(0..<generator.samples))
            return try MultimodalDataset(
                name: "synthetic-mmimdb",
                modalities: [
                    Modality(name: "image", levels: Array(all.inputs[0..<4])), Modality(name: "text", levels: Array(all.inputs[4...])),
                ],
                labels: .multiLabel(all.targets, labelNames: generator.labelNames), split: generator.split)
        case "synthetic-planted":
            let samples = try count(default: 2000)
            // Two modalities of 3 vector levels of 4 floats. Vectors, not [4, 4] maps: the label is a
            // product of per-feature means, which the default fused length 8 cannot express (the
            // planted fusion alone reaches 0.60 test accuracy at L 8 on [4, 4] levels, 0.87 at L 1).
            try MemoryBudget.require(
                MemoryBudget.product([samples, 2 * 3 * 4 + 1, 4]),
                for: "dataset '\(name)' (\(samples) samples)", fix: "choose fewer samples, e.g. synthetic-planted:2000")
            return SyntheticData.plantedInteraction(samples: samples, levels: 3, dims: 4, length: 1, noise: 0.05, seed: seed)
        default:
            return nil
        }
    }
}
