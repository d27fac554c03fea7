import FusionNAS
import Foundation
import Tensors

/// Argument checks shared by the contrastive objectives, so every loss refuses the same bad inputs
/// with the same kind of message.
public enum ContrastiveValidation {
    /// The smallest temperature accepted (exclusive): below it, `1 / temperature` scales cosine
    /// similarities past 1000 and the softmax saturates to a one-hot in Float32.
    public static let minimumTemperature = 1e-3

    /// Throws unless `temperature` is finite and above ``minimumTemperature``.
    static func checkTemperature(_ temperature: Double, objective: String) throws {
        guard temperature.isFinite, temperature > minimumTemperature else {
            throw ComponentError(
                .invalidOption(component: objective),
                "\(objective): temperature must be a finite number above \(minimumTemperature), got \(temperature)")
        }
    }

    /// Throws if `options` names anything outside `known`, so a misspelt option is not silently ignored.
    static func checkOptionNames(_ options: [String: Double], known: Set<String>, component: String) throws {
        let unknown = Set(options.keys).subtracting(known)
        guard unknown.isEmpty else {
            throw ComponentError(
                .invalidOption(component: component),
                "\(component): unknown option(s) \(unknown.sorted().joined(separator: ", ")); known: \(known.sorted().joined(separator: ", "))")
        }
    }

    /// Throws unless every view is (batch, D) with one shared batch of at least two samples: with a
    /// single sample there is no negative, so the loss would be a constant, not a training signal.
    static func checkViews(_ views: [Tensor], expectedCount: ClosedRange<Int>, objective: String) throws {
        guard expectedCount.contains(views.count) else {
            let expected = expectedCount.lowerBound == expectedCount.upperBound ? "\(expectedCount.lowerBound)" : "\(expectedCount.lowerBound) or more"
            throw ComponentError("\(objective): expects \(expected) views, got \(views.count)")
        }
        guard let first = views.first, first.rank == 2 else {
            throw ComponentError("\(objective): every view must be (batch, dimension), got \(views.first?.shape ?? [])")
        }
        for (index, view) in views.enumerated() where view.shape != first.shape {
            throw ComponentError(
                "\(objective): view \(index) has shape \(view.shape), expected \(first.shape) like view 0")
        }
        guard first.shape[0] >= 2 else {
            throw ComponentError(
                "\(objective): a batch of \(first.shape[0]) sample(s) has no negatives; use a batch of at least 2")
        }
    }
}
