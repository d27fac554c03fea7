import Tensors

/// Test or validation figures of a network with a task head.
public struct EvaluationResult: Codable, Sendable, Equatable {
    /// The primary metric's name: `accuracy` (multi-class) or `weighted_f1` (multi-label).
    public var metric: String
    /// The primary metric's value.
    public var value: Double
    /// Every figure by name (accuracy, macro_f1; or weighted/macro/micro/samples F1 and the threshold).
    public var figures: [String: Double]

    public init(metric: String, value: Double, figures: [String: Double]) {
        self.metric = metric
        self.value = value
        self.figures = figures
    }
}

/// Runs a network over index sets without recording gradients.
public enum Evaluator {
    /// Logits (n, outputs) for `indices`, in order, in evaluation mode.
    public static func logits(
        network: MultimodalNetwork, source: BatchSource, indices: [Int], batchSize: Int = 256
    ) -> Tensor {
        let wasTraining = network.isTraining
        network.eval()
        defer { network.train(wasTraining) }
        return withoutGrad {
            var parts: [Tensor] = []
            for start in stride(from: 0, to: indices.count, by: batchSize) {
                let chunk = Array(indices[start..<min(indices.count, start + batchSize)])
                parts.append(network(source.batch(chunk, withLabels: false).inputs))
            }
            return parts.count == 1 ? parts[0] : Tensor.concat(parts, axis: 0)
        }
    }

    /// The labels of `indices` (reads labels: only for supervised use and evaluation).
    public static func targets(source: BatchSource, indices: [Int]) -> BatchTargets? {
        source.batch(indices, withLabels: true).targets
    }

    /// Metrics on `indices`. For multi-label tasks the decision threshold is `threshold` (choose it on
    /// validation data with ``chooseThreshold(network:source:indices:)``), 0.5 when nil.
    public static func evaluate(
        network: MultimodalNetwork, source: BatchSource, indices: [Int], threshold: Double? = nil
    ) -> EvaluationResult {
        let out = logits(network: network, source: source, indices: indices)
        switch targets(source: source, indices: indices) {
        case .classes(let labels):
            let predictions = Metrics.argmaxRows(out)
            let accuracy = Metrics.accuracy(logits: out, labels: labels)
            let macro = Metrics.macroF1(predictions: predictions, labels: labels, classes: out.shape[1])
            return EvaluationResult(metric: "accuracy", value: accuracy, figures: ["accuracy": accuracy, "macro_f1": macro])
        case .multiLabel(let t):
            let th = threshold ?? 0.5
            let f = Metrics.multiLabelF1(logits: out, targets: t, threshold: th)
            return EvaluationResult(
                metric: "weighted_f1", value: f.weighted,
                figures: ["weighted_f1": f.weighted, "macro_f1": f.macro, "micro_f1": f.micro, "samples_f1": f.samples, "threshold": th])
        case nil:
            preconditionFailure("Evaluator: the source returned no labels")
        }
    }

    /// The multi-label threshold maximising weighted F1 on `indices` (nil for multi-class tasks).
    public static func chooseThreshold(network: MultimodalNetwork, source: BatchSource, indices: [Int]) -> Double? {
        guard case .multiLabel = source.task else { return nil }
        let out = logits(network: network, source: source, indices: indices)
        guard case .multiLabel(let t)? = targets(source: source, indices: indices) else { return nil }
        return Metrics.bestThreshold(logits: out, targets: t)
    }
}
