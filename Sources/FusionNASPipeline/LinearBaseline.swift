import FusionNAS
import Layers
import Tensors

/// The baseline every result is read against: one linear layer (logistic regression, softmax for
/// multi-class, per-label sigmoid for multi-label) on the standardised views concatenated, trained
/// on the labelled training samples with full-batch Adam, the epoch and the L2 strength chosen on
/// the labelled validation samples. Same split and same labelled indices as the networks.
public enum LinearBaseline {
    /// L2 strengths tried (Adam's coupled weight decay); the best on validation is kept.
    public static let weightDecays: [Float] = [0, 1e-3, 1e-2, 1e-1]

    /// Fits on `data.labelledTrain`, selects on `data.labelledValidation` and evaluates on the test split.
    ///
    /// - Returns: the selected model's validation and test figures.
    public static func fit(data: PreparedData, epochs: Int, learningRate: Float = 1e-2, seed: UInt64)
        -> (validation: EvaluationResult, test: EvaluationResult)
    {
        let source = data.source
        let features = { (indices: [Int]) -> Tensor in
            let views = source.batch(indices, withLabels: false).inputs.flatMap { $0 }
            return Tensor.concat(views.map { $0.reshaped([indices.count, $0.count / max(indices.count, 1)]) }, axis: 1)
        }
        let train = features(data.labelledTrain), validation = features(data.labelledValidation)
        let targets = source.batch(data.labelledTrain, withLabels: true).targets!
        let outputs = source.task.outputs
        var best: (score: Double, weight: Tensor, bias: Tensor, threshold: Double?)?
        for decay in weightDecays {
            var rng = SeededGenerator(seed: seed)
            let layer = Linear(train.shape[1], outputs, rng: &rng)
            let optimizer = Adam(parameters: layer.parameters(), learningRate: learningRate, weightDecay: decay)
            for _ in 0..<epochs {
                optimizer.zeroGrad()
                let logits = layer(train)
                let loss: Tensor
                switch targets {
                case .classes(let labels): loss = softmaxCrossEntropy(logits: logits, labels: labels)
                case .multiLabel(let t): loss = binaryCrossEntropyWithLogits(logits: logits, targets: t)
                }
                loss.backward()
                optimizer.step()
                let (score, threshold) = evaluate(withoutGrad { layer(validation) }, source: source, indices: data.labelledValidation)
                if best == nil || score.value > best!.score {
                    best = (score.value, layer.weight.copy(), layer.bias!.copy(), threshold)
                }
            }
        }
        let chosen = best!
        let predict = { (x: Tensor) in withoutGrad { linear(x, weight: chosen.weight, bias: chosen.bias) } }
        let validationResult = evaluate(
            predict(validation), source: source, indices: data.labelledValidation, threshold: chosen.threshold).result
        // The test split is read once, for the selected model.
        let testResult = evaluate(
            predict(features(data.split.test)), source: source, indices: data.split.test, threshold: chosen.threshold).result
        return (validationResult, testResult)
    }

    /// Figures of `logits` on `indices`; for multi-label tasks the threshold is chosen here when not given.
    static func evaluate(_ logits: Tensor, source: DatasetSource, indices: [Int], threshold given: Double? = nil)
        -> (result: EvaluationResult, threshold: Double?)
    {
        switch Evaluator.targets(source: source, indices: indices)! {
        case .classes(let labels):
            let accuracy = Metrics.accuracy(logits: logits, labels: labels)
            let macro = Metrics.macroF1(predictions: Metrics.argmaxRows(logits), labels: labels, classes: logits.shape[1])
            return (EvaluationResult(metric: "accuracy", value: accuracy, figures: ["accuracy": accuracy, "macro_f1": macro]), nil)
        case .multiLabel(let t):
            let threshold = given ?? Metrics.bestThreshold(logits: logits, targets: t)
            let f = Metrics.multiLabelF1(logits: logits, targets: t, threshold: threshold)
            return (EvaluationResult(
                metric: "weighted_f1", value: f.weighted,
                figures: ["weighted_f1": f.weighted, "macro_f1": f.macro, "micro_f1": f.micro, "threshold": threshold]), threshold)
        }
    }
}
