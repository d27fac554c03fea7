import FusionNAS
import MultimodalData
import Tensors

/// The dataset after modality selection and standardisation (fitted on the training split only),
/// with every index set the pipeline uses.
public struct PreparedData {
    public let source: DatasetSource
    public let split: DatasetSplit
    /// The labelled fraction of the training split (stratified, reproducible).
    public let labelledTrain: [Int]
    /// The labelled subset of the validation split at the same fraction, for model selection.
    public let labelledValidation: [Int]

    /// Loads `configuration.dataset`, selects modalities and standardises.
    public static func load(_ configuration: PipelineConfiguration) throws -> PreparedData {
        var dataset: MultimodalDataset
        if let builtIn = try BuiltInDatasets.load(configuration.dataset) {
            let defaults = configuration.dataset == EmbeddedDatasets.uciMFeatName ? ["pix", "fou"] : builtIn.modalityNames
            dataset = try builtIn.selecting(modalities: configuration.modalities.isEmpty ? defaults : configuration.modalities)
        } else {
            dataset = try DatasetLoader.load(path: configuration.dataset)
            if !configuration.modalities.isEmpty {
                dataset = try dataset.selecting(modalities: configuration.modalities)
            }
        }
        // Checked here too so that the message names the path the user gave.
        try dataset.split.requireEveryPart(source: configuration.dataset)
        return try prepare(dataset, configuration: configuration)
    }

    /// Standardises `dataset` (unless it already is) and draws the labelled subsets.
    public static func prepare(
        _ dataset: MultimodalDataset, configuration: PipelineConfiguration, standardized alreadyStandardized: Bool = false
    ) throws -> PreparedData {
        guard dataset.modalities.count >= 2 else {
            throw ComponentError("dataset '\(dataset.name)' has \(dataset.modalities.count) modality; fusion needs at least two (--modalities a,b)")
        }
        // Every command trains, selects or evaluates on its part; refuse before any of that work.
        try dataset.split.requireEveryPart(source: dataset.name)
        let standardized = alreadyStandardized
            ? dataset : try Standardizer.fit(dataset, on: dataset.split.train).apply(to: dataset)
        let labelledTrain = try labelledFraction(
            configuration.labelFraction, of: dataset.split.train, labels: dataset.labels, seed: configuration.seed)
        let labelledValidation = try labelledFraction(
            configuration.labelFraction, of: dataset.split.validation, labels: dataset.labels,
            seed: configuration.seed &+ 1)
        return PreparedData(
            source: DatasetSource(dataset: standardized), split: dataset.split,
            labelledTrain: labelledTrain, labelledValidation: labelledValidation)
    }

    /// `indices` shuffled with `seed` and cut in two halves (DARTS's train / held-out split).
    public static func halves(_ indices: [Int], seed: UInt64) -> (first: [Int], second: [Int]) {
        var rng = SeededGenerator(seed: seed)
        var order = indices
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
        let half = order.count / 2
        return (Array(order[..<half]), Array(order[half...]))
    }
}
