import Foundation
import FusionNAS
import MultimodalData

/// The labelled training samples the labelled stages need, checked before the first stage runs.
///
/// A label fraction too small for the supervised baseline used to surface only after the whole
/// self-supervised pipeline had run, as a search error that did not name the option to change.
public enum LabelledCounts {
    /// What the labelled samples are used for.
    public enum Use: Sendable {
        /// Fine-tuning: the trainer needs 2 samples.
        case fineTuning
        /// BM-NAS's supervised search: two halves of at least 2 samples each (and then training).
        case supervisedSearch

        var minimum: Int { self == .fineTuning ? 2 : 4 }
        var purpose: String {
            self == .fineTuning ? "fine-tuning" : "the supervised search (two halves of at least 2)"
        }
    }

    /// Throws unless `data` labels enough training samples for `use`, naming `option`, the counts
    /// and the smallest fraction that would do.
    public static func require(
        _ data: PreparedData, configuration: PipelineConfiguration, for use: Use, option: String = "--labels"
    ) throws {
        let have = data.labelledTrain.count
        guard have < use.minimum else { return }
        let train = data.split.train
        let count = { (fraction: Double) -> Int in
            (try? labelledFraction(fraction, of: train, labels: data.source.dataset.labels, seed: configuration.seed).count) ?? 0
        }
        let fraction = String(format: "%g", configuration.labelFraction)
        guard count(1) >= use.minimum else {
            throw ComponentError(
                .tooFewSamples,
                "\(option) \(fraction): the training split of '\(configuration.dataset)' has \(train.count) samples with labels, but \(use.purpose) needs at least \(use.minimum); use a dataset with more training samples")
        }
        // The smallest fraction that labels enough, found by bisection and rounded up to two
        // significant digits for the message (kept only if it still labels enough).
        var low = configuration.labelFraction, high = 1.0
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if count(middle) >= use.minimum { high = middle } else { low = middle }
        }
        let scale = pow(10, 1 - floor(log10(high)))
        let smallest = [(high * scale).rounded() / scale, (high * scale).rounded(.up) / scale, high]
            .map { min(1, $0) }.first { count($0) >= use.minimum }!
        throw ComponentError(
            .tooFewSamples,
            "\(option) \(fraction) labels \(have) of the \(train.count) training samples, but \(use.purpose) needs at least \(use.minimum); use \(option) \(String(format: "%g", smallest)) or more")
    }
}
