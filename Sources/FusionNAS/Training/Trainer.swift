import Foundation
import Layers
import Tensors

/// Trains a network's parameters on an objective, epoch by epoch, keeping the state with the best
/// validation score (model selection on validation data, never on test data).
public final class Trainer {
    public let network: MultimodalNetwork
    public let objective: TrainingObjective
    public let settings: TrainingSettings
    let source: BatchSource
    let trainIndices: [Int]
    let parameters: [Tensor]
    /// Scores the network on validation data (higher is better); nil trains without selection.
    let validationScore: (() throws -> Double)?
    public let optimizer: Adam
    let schedule: CosineAnnealing
    let stepsPerEpoch: Int

    public var rng: SeededGenerator
    public private(set) var history: [TrainingEpochRecord] = []
    /// Values of every network and objective tensor at the best validation score.
    public private(set) var bestState: [String: Tensor]?
    public private(set) var bestScore: Double?
    public var onStep: ((Int, Int, Double) -> Void)?
    /// Set for data-parallel training (Docs/distributed.md): every step's gradients are averaged
    /// over its ranks before they are clipped and applied.
    public var communicator: (any Communicator)?

    /// - Parameter parameters: the trained group (all network and objective parameters for full
    ///   fine-tuning; only the head for a linear probe).
    public init(
        network: MultimodalNetwork, objective: TrainingObjective, parameters: [Tensor], source: BatchSource,
        trainIndices: [Int], settings: TrainingSettings, seed: UInt64, validationScore: (() throws -> Double)? = nil
    ) throws {
        guard trainIndices.count >= 2 else {
            throw ComponentError(.tooFewSamples, "training needs at least 2 samples, got \(trainIndices.count)")
        }
        guard settings.epochs >= 1, settings.batchSize >= 2 else {
            throw ComponentError("training needs epochs >= 1 and batch size >= 2, got \(settings.epochs) and \(settings.batchSize)")
        }
        self.network = network
        self.objective = objective
        self.settings = settings
        self.source = source
        self.trainIndices = trainIndices
        self.parameters = parameters
        self.validationScore = validationScore
        rng = SeededGenerator(seed: seed)
        optimizer = Adam(parameters: parameters, learningRate: settings.learningRate, weightDecay: settings.weightDecay)
        stepsPerEpoch = max(1, (trainIndices.count + settings.batchSize - 1) / settings.batchSize)
        schedule = CosineAnnealing(
            baseLearningRate: settings.learningRate, minimumLearningRate: settings.minimumLearningRate,
            totalSteps: settings.epochs * stepsPerEpoch)
    }

    public var epoch: Int { history.count }
    public var isFinished: Bool { epoch >= settings.epochs }

    /// Every tensor that defines the trained model, by name.
    public func namedState() -> [(name: String, tensor: Tensor)] {
        var result = network.namedTensors().map { (name: "network." + $0.name, tensor: $0.tensor) }
        for (i, m) in objective.modules.enumerated() {
            result += m.namedTensors().map { (name: "objective.\(i)." + $0.name, tensor: $0.tensor) }
        }
        return result
    }

    func setMode(training: Bool) {
        network.train(training)
        for m in objective.modules { m.train(training) }
    }

    @discardableResult
    public func runEpoch() throws -> TrainingEpochRecord {
        let started = Date()
        setMode(training: true)
        reseedDropout(in: [network] + objective.modules, rng: &rng)
        let batches = miniBatches(trainIndices, batchSize: settings.batchSize, shuffle: true, rng: &rng)
        var sum = 0.0
        for (i, indices) in batches.enumerated() {
            optimizer.learningRate = schedule.learningRate(at: epoch * stepsPerEpoch + i)
            optimizer.zeroGrad()
            let batch = source.batch(indices, withLabels: objective.readsLabels)
            let loss = try objective.loss(network: network, batch: batch, rng: &rng)
            let value = Double(loss.item)
            guard value.isFinite else {
                throw NonFiniteValueError.loss(
                    value, objective: objective.name, step: i + 1, epoch: epoch + 1, stage: "training", state: namedState())
            }
            loss.backward()
            communicator?.averageGradients(of: parameters)
            _ = clipGradientNorm(parameters, maxNorm: settings.gradientClip)
            optimizer.step()
            sum += value
            onStep?(i + 1, batches.count, value)
        }
        // Once per epoch, before anything of it is kept: a step can leave a NaN the loss has not shown yet.
        try NonFiniteValueError.check(namedState(), epoch: epoch + 1, stage: "training")
        setMode(training: false)
        let score = try validationScore?()
        setMode(training: true)
        if let score, bestScore == nil || score > bestScore! {
            bestScore = score
            bestState = Dictionary(uniqueKeysWithValues: namedState().map { ($0.name, $0.tensor.copy()) })
        }
        let record = TrainingEpochRecord(
            epoch: epoch + 1, trainLoss: sum / Double(batches.count), validationScore: score,
            seconds: Date().timeIntervalSince(started))
        history.append(record)
        return record
    }

    /// Runs the remaining epochs, then restores the best validated state (if any).
    public func run() throws {
        while !isFinished { try runEpoch() }
        restoreBest()
    }

    /// Copies the best validated values back into the network and objective.
    public func restoreBest() {
        guard let bestState else { return }
        for (name, tensor) in namedState() {
            if let saved = bestState[name] { tensor.assign(saved) }
        }
    }
}

extension Trainer: ResumableStage {
    public func checkpoint() throws -> StageCheckpoint {
        var checkpoint = StageCheckpoint(tensors: [], metadata: ["stage": "training"])
        checkpoint.tensors = namedState()
        if let bestState {
            checkpoint.tensors += bestState.sorted { $0.key < $1.key }.map { (name: "best." + $0.key, tensor: $0.value) }
        }
        checkpoint.add(optimizer, prefix: "optimizer.")
        try checkpoint.store(rng, as: "rng")
        try checkpoint.store(history, as: "history")
        try checkpoint.store(bestScore, as: "best_score")
        return checkpoint
    }

    public func restore(_ checkpoint: StageCheckpoint) throws {
        guard checkpoint.metadata["stage"] == "training" else {
            throw ComponentError(.incompatibleCheckpoint, "checkpoint is of a '\(checkpoint.metadata["stage"] ?? "?")' stage, not a training stage")
        }
        let saved = checkpoint.tensorsByName
        var best: [String: Tensor] = [:]
        for (name, tensor) in namedState() {
            guard let value = saved[name], value.shape == tensor.shape else {
                throw ComponentError(.incompatibleCheckpoint, "checkpoint: tensor '\(name)' is missing or has another shape; was it written by a different configuration?")
            }
            tensor.assign(value)
            if let b = saved["best." + name] { best[name] = b }
        }
        try checkpoint.load(into: optimizer, prefix: "optimizer.")
        rng = try checkpoint.value(SeededGenerator.self, "rng")
        history = try checkpoint.value([TrainingEpochRecord].self, "history")
        bestScore = try checkpoint.value(Double?.self, "best_score")
        bestState = best.isEmpty ? nil : best
    }
}
