import Foundation
import Layers
import Tensors

/// DARTS's bilevel search: alternately a weight step on a training batch and an architecture step on
/// a held-out batch, both minimising the same ``TrainingObjective``; or, with
/// ``SearchAlternation/everyEpoch`` (BM-NAS's code), a weight epoch and then an architecture step on
/// every held-out batch. The weights' rate follows ``SearchSettings/weightSchedule``.
///
/// The objective decides whether labels are read: with a self-supervised objective the batches are
/// fetched without labels. With ``GenotypeSelection/argmax`` the genotype is derived after every
/// epoch and the one with the best held-out score is kept (never a test score); with
/// ``GenotypeSelection/perturbation`` the genotype is chosen once, on the supernet after the last
/// epoch, by how much removing each option hurts the held-out loss.
///
/// ```swift
/// let search = try ArchitectureSearch(network: network, supernet: supernet, objective: objective,
///                                     source: data, trainIndices: a, heldOutIndices: b, settings: settings, seed: 0)
/// while !search.isFinished { let record = try search.runEpoch(); print(record.genotype) }
/// ```
public final class ArchitectureSearch {
    public let network: MultimodalNetwork
    public let supernet: any Supernet
    public let objective: TrainingObjective
    public let settings: SearchSettings
    let source: BatchSource
    let trainIndices: [Int]
    let heldOutIndices: [Int]

    let weights: [Tensor]
    let architecture: [Tensor]
    public let weightOptimizer: Adam
    public let architectureOptimizer: Adam
    /// The weights' learning rate of every weight batch of the search, counted from 0.
    let weightLearningRate: @Sendable (Int) -> Float
    let stepsPerEpoch: Int

    /// The generator driving shuffling, dropout and augmentations; part of a checkpoint.
    public var rng: SeededGenerator
    public private(set) var history: [SearchEpochRecord] = []
    /// The genotype with the best held-out score so far, and its epoch.
    public private(set) var best: SearchEpochRecord?
    /// Weight and architecture steps taken since the search began, what tells the two alternations
    /// apart. Nothing the search computes reads them: the learning-rate schedule, the alternation,
    /// the warm-up and the Beta-Decay ramp all follow ``epoch``, which a checkpoint restores with the
    /// history. A restored search derives them from the epoch and the split sizes, so a
    /// resumed search reports the counts of an uninterrupted one and checkpoints need no new field.
    public private(set) var weightSteps = 0
    public private(set) var architectureSteps = 0
    /// Called after every step with (step within the epoch, steps per epoch, loss).
    public var onStep: ((Int, Int, Double) -> Void)?
    /// Set for a data-parallel search (Docs/distributed.md): every step's gradients are averaged
    /// over its ranks before they are clipped and applied.
    public var communicator: (any Communicator)?

    public init(
        network: MultimodalNetwork, supernet: any Supernet, objective: TrainingObjective, source: BatchSource,
        trainIndices: [Int], heldOutIndices: [Int], settings: SearchSettings, seed: UInt64
    ) throws {
        guard trainIndices.count >= 2, heldOutIndices.count >= 2 else {
            throw ComponentError("search needs at least 2 training and 2 held-out samples, got \(trainIndices.count) and \(heldOutIndices.count)")
        }
        guard settings.epochs >= 1, settings.batchSize >= 2, settings.warmupEpochs >= 0 else {
            throw ComponentError("search needs epochs >= 1, batch size >= 2 and warm-up epochs >= 0, got \(settings.epochs), \(settings.batchSize) and \(settings.warmupEpochs)")
        }
        if settings.secondOrder && settings.alternation == .everyEpoch {
            // BM-NAS's per-epoch alternation is first order (its Architect only backpropagates the
            // validation loss); an unrolled step needs the weight step it unrolls.
            throw ComponentError(
                .invalidOption(component: "search"),
                "second-order DARTS needs an architecture step after every weight batch; this search alternates per epoch (as BM-NAS's code, first order only): drop --second-order or use --search-space fusionnas")
        }
        self.network = network
        self.supernet = supernet
        self.objective = objective
        self.source = source
        self.trainIndices = trainIndices
        self.heldOutIndices = heldOutIndices
        self.settings = settings
        rng = SeededGenerator(seed: seed)
        architecture = supernet.architectureParameters
        let archIDs = Set(architecture.map(ObjectIdentifier.init))
        weights = network.parameters().filter { !archIDs.contains(ObjectIdentifier($0)) } + objective.parameters
        weightOptimizer = Adam(
            parameters: weights, learningRate: settings.weightLearningRate, weightDecay: settings.weightDecay)
        architectureOptimizer = Adam(
            parameters: architecture, learningRate: settings.architectureLearningRate,
            betas: (settings.architectureBeta1, settings.architectureBeta2), weightDecay: settings.architectureWeightDecay)
        stepsPerEpoch = max(1, (trainIndices.count + settings.batchSize - 1) / settings.batchSize)
        switch settings.weightSchedule {
        case .cosine:
            let schedule = CosineAnnealing(
                baseLearningRate: settings.weightLearningRate, minimumLearningRate: settings.weightMinimumLearningRate,
                totalSteps: settings.epochs * stepsPerEpoch)
            weightLearningRate = { schedule.learningRate(at: $0) }
        case .warmRestarts(let firstPeriod, let multiplier):
            // BM-NAS counts epochs in batches of dataset_size / batch_size (a real number), not
            // in the batches a loader yields.
            let schedule = CosineWarmRestarts(
                baseLearningRate: settings.weightLearningRate, minimumLearningRate: settings.weightMinimumLearningRate,
                firstPeriod: Double(firstPeriod), multiplier: Double(multiplier),
                batchesPerEpoch: Double(trainIndices.count) / Double(settings.batchSize))
            weightLearningRate = { schedule.learningRate(at: $0) }
        }
    }

    public var epoch: Int { history.count }
    public var isFinished: Bool { epoch >= settings.epochs }

    /// Turns gradient recording for a parameter group on or off, so each step computes only the
    /// gradients it uses (the architecture step needs no weight gradients).
    func setTrainable(_ group: [Tensor], _ on: Bool) {
        for p in group { p.requiresGrad = on }
    }

    func setMode(training: Bool) {
        network.train(training)
        for m in objective.modules { m.train(training) }
    }

    /// Loss of one batch with gradients for `group` only.
    func lossWithGradients(_ indices: [Int], group: [Tensor], step: Int) throws -> Double {
        let batch = source.batch(indices, withLabels: objective.readsLabels)
        for p in group { p.grad = nil }
        let loss = try objective.loss(network: network, batch: batch, rng: &rng)
        let value = Double(loss.item)
        guard value.isFinite else {
            throw NonFiniteValueError.loss(
                value, objective: objective.name, step: step, epoch: epoch + 1, stage: "search", state: namedState())
        }
        loss.backward()
        communicator?.averageGradients(of: group)
        return value
    }

    /// One epoch of alternating weight and architecture steps; derives and records the genotype.
    @discardableResult
    public func runEpoch() throws -> SearchEpochRecord {
        let started = Date()
        setMode(training: true)
        reseedDropout(in: [network] + objective.modules, rng: &rng)
        let trainBatches = miniBatches(trainIndices, batchSize: settings.batchSize, shuffle: true, rng: &rng)
        var heldOutBatches = miniBatches(heldOutIndices, batchSize: settings.batchSize, shuffle: true, rng: &rng)
        var trainSum = 0.0, heldOutSum = 0.0, epochArchitectureSteps = 0
        defer {
            setTrainable(weights, true)
            setTrainable(architecture, true)
        }
        for (i, batch) in trainBatches.enumerated() {
            weightOptimizer.learningRate = weightLearningRate(epoch * stepsPerEpoch + i)
            // Weight step; second order replays its augmentations and dropout masks at w+ and w-.
            let weightStepRandomness = RandomState(capturing: self)
            setTrainable(architecture, false)
            setTrainable(weights, true)
            let trainLoss = try lossWithGradients(batch, group: weights, step: i + 1)
            if settings.gradientClip.isFinite { _ = clipGradientNorm(weights, maxNorm: settings.gradientClip) }
            let warmingUp = epoch < settings.warmupEpochs
            if settings.secondOrder && !warmingUp {
                // The unrolled architecture gradient needs the weights before this step's update.
                if heldOutBatches.isEmpty {
                    heldOutBatches = miniBatches(heldOutIndices, batchSize: settings.batchSize, shuffle: true, rng: &rng)
                }
                let heldOut = heldOutBatches.removeFirst()
                heldOutSum += try secondOrderArchitectureStep(
                    train: batch, replaying: weightStepRandomness, heldOut: heldOut, step: i + 1)
                epochArchitectureSteps += 1
                architectureSteps += 1
            }
            weightOptimizer.step()
            trainSum += trainLoss
            if !settings.secondOrder && !warmingUp && settings.alternation == .everyBatch {
                // Architecture step (first order) on the next held-out batch.
                if heldOutBatches.isEmpty {
                    heldOutBatches = miniBatches(heldOutIndices, batchSize: settings.batchSize, shuffle: true, rng: &rng)
                }
                heldOutSum += try firstOrderArchitectureStep(heldOutBatches.removeFirst(), step: i + 1)
                epochArchitectureSteps += 1
                architectureSteps += 1
            }
            weightSteps += 1
            onStep?(i + 1, trainBatches.count, trainLoss)
        }
        if settings.alternation == .everyEpoch && epoch >= settings.warmupEpochs {
            // BM-NAS's code (models/search/train_searchable/mmimdb.py, `train_mmimdb_track_f1`): after
            // the weight epoch ('train' phase), the 'dev' phase takes one architecture step on every
            // batch of the held-out split, the network still in training mode.
            for (j, heldOut) in heldOutBatches.enumerated() {
                heldOutSum += try firstOrderArchitectureStep(heldOut, step: j + 1)
                epochArchitectureSteps += 1
                architectureSteps += 1
            }
        }
        setTrainable(weights, true)
        setTrainable(architecture, true)
        // Once per epoch, before the genotype and record are derived: NaN architecture weights
        // would otherwise be recorded and fail much later, when the history is encoded as JSON.
        try NonFiniteValueError.check(namedState(), epoch: epoch + 1, stage: "search")
        let score = try heldOutScore()
        var record = SearchEpochRecord(
            epoch: epoch + 1, trainLoss: trainSum / Double(trainBatches.count),
            heldOutLoss: heldOutSum / Double(max(epochArchitectureSteps, 1)), score: score, genotype: supernet.deriveGenotype(),
            architectureWeights: supernet.architectureWeights(), seconds: 0)
        let lastEpoch = epoch + 1 == settings.epochs
        if settings.selection == .perturbation && lastEpoch {
            guard let perturbable = supernet as? any PerturbableSupernet else {
                throw ComponentError("perturbation selection needs a search space whose supernet can remove single options (PerturbableSupernet); \(type(of: supernet)) cannot")
            }
            let importances = try PerturbationSelection.importances(of: perturbable) { -(try heldOutLoss()) }
            record.optionImportances = importances
            record.genotype = PerturbationSelection.genotype(of: perturbable, importances: importances)
        }
        record.seconds = Date().timeIntervalSince(started)
        history.append(record)
        switch settings.selection {
        case .argmax: if best == nil || score > best!.score { best = record }
        // Importances describe the supernet as it is now, so the last epoch's genotype is the choice.
        case .perturbation: if lastEpoch { best = record }
        }
        return record
    }

    /// One first-order architecture step on a held-out batch: only the architecture parameters
    /// record gradients. Returns the batch's loss.
    func firstOrderArchitectureStep(_ heldOut: [Int], step: Int) throws -> Double {
        setTrainable(weights, false)
        setTrainable(architecture, true)
        let loss = try lossWithGradients(heldOut, group: architecture, step: step)
        BetaDecay.addGradient(to: architecture, weight: betaDecayWeight)
        architectureOptimizer.step()
        return loss
    }

    /// Every tensor that changes during the search (network, architecture, objective), by checkpoint name.
    func namedState() -> [(name: String, tensor: Tensor)] {
        var state = network.namedTensors().map { (name: "network." + $0.name, tensor: $0.tensor) }
        for (i, m) in objective.modules.enumerated() {
            state += m.namedTensors().map { (name: "objective.\(i)." + $0.name, tensor: $0.tensor) }
        }
        return state
    }

    /// Runs the remaining epochs and returns the best genotype.
    public func run() throws -> Genotype {
        while !isFinished { try runEpoch() }
        return best!.genotype
    }

    /// Higher is better: the task metric when the objective reads labels, else minus the mean
    /// held-out loss (with augmentations drawn from a fixed seed, so epochs are compared on equal terms).
    func heldOutScore() throws -> Double {
        if objective.readsLabels {
            return Evaluator.evaluate(network: network, source: source, indices: heldOutIndices).value
        }
        return -(try heldOutLoss())
    }

    /// The objective's mean loss on the held-out samples in evaluation mode, augmentations drawn from a
    /// fixed seed: a continuous measure that does not depend on where the search's generator is.
    func heldOutLoss() throws -> Double {
        setMode(training: false)
        defer { setMode(training: true) }
        var fixed = SeededGenerator(seed: 0x5EED)
        var sum = 0.0, count = 0
        try withoutGrad {
            for batch in miniBatches(heldOutIndices, batchSize: settings.batchSize, shuffle: false, rng: &fixed) {
                let loss = try objective.loss(
                    network: network, batch: source.batch(batch, withLabels: objective.readsLabels), rng: &fixed)
                sum += Double(loss.item) * Double(batch.count)
                count += batch.count
            }
        }
        return sum / Double(max(count, 1))
    }

    /// The weight and architecture steps the first `epochs` epochs take: every training batch once
    /// per epoch; after the warm-up epochs, an architecture step per training batch
    /// (``SearchAlternation/everyBatch``, first or second order) or per held-out batch
    /// (``SearchAlternation/everyEpoch``). The batch counts depend only on the split sizes, not on
    /// the shuffle, so they are counted on unshuffled batches.
    func stepsTaken(epochs: Int) -> (weight: Int, architecture: Int) {
        var unused = SeededGenerator(seed: 0)
        let train = miniBatches(trainIndices, batchSize: settings.batchSize, shuffle: false, rng: &unused).count
        let heldOut = miniBatches(heldOutIndices, batchSize: settings.batchSize, shuffle: false, rng: &unused).count
        let searching = max(0, epochs - settings.warmupEpochs)
        return (epochs * train, searching * (settings.alternation == .everyEpoch ? heldOut : train))
    }

    /// The β-DARTS weight of this epoch: grows linearly to `settings.betaDecay` in the last epoch.
    var betaDecayWeight: Float { settings.betaDecay * Float(epoch + 1) / Float(settings.epochs) }

    /// One second-order architecture step (``SecondOrderArchitectureGradient``). Expects the weight
    /// gradients of the training batch in place; `randomness` is the state the weight step's loss
    /// started from, replayed at w+ and w-.
    func secondOrderArchitectureStep(
        train: [Int], replaying randomness: RandomState, heldOut: [Int], step: Int
    ) throws -> Double {
        let loss = try SecondOrderArchitectureGradient.apply(
            weights: weights, architecture: architecture, trainingGradients: weights.map { $0.grad },
            xi: weightOptimizer.learningRate,
            heldOutLoss: {
                setTrainable(weights, true)
                setTrainable(architecture, true)
                return try lossWithGradients(heldOut, group: weights + architecture, step: step)
            },
            trainingLoss: {
                let continuing = RandomState(capturing: self)
                defer { continuing.restore(into: self) }
                randomness.restore(into: self)
                setTrainable(weights, false)
                defer { setTrainable(weights, true) }
                _ = try lossWithGradients(train, group: architecture, step: step)
            })
        BetaDecay.addGradient(to: architecture, weight: betaDecayWeight)
        architectureOptimizer.step()
        return loss
    }

    /// The search's generator and every dropout layer's mask generator: what decides the augmented
    /// views and masks of the next loss.
    struct RandomState {
        let generator: SeededGenerator
        let dropout: [SeededGenerator]

        init(capturing search: ArchitectureSearch) {
            generator = search.rng
            dropout = search.dropoutLayers.map(\.generator)
        }

        func restore(into search: ArchitectureSearch) {
            search.rng = generator
            for (layer, state) in zip(search.dropoutLayers, dropout) { layer.generator = state }
        }
    }

    var dropoutLayers: [Dropout] {
        ([network] + objective.modules).flatMap { $0.modules() }.compactMap { $0 as? Dropout }
    }
}

extension ArchitectureSearch: ResumableStage {
    public func checkpoint() throws -> StageCheckpoint {
        var checkpoint = StageCheckpoint(tensors: [], metadata: ["stage": "search"])
        checkpoint.add(network, prefix: "network.")
        for (i, module) in objective.modules.enumerated() { checkpoint.add(module, prefix: "objective.\(i).") }
        checkpoint.add(weightOptimizer, prefix: "optimizer.weights.")
        checkpoint.add(architectureOptimizer, prefix: "optimizer.architecture.")
        try checkpoint.store(rng, as: "rng")
        try checkpoint.store(history, as: "history")
        try checkpoint.store(best, as: "best")
        return checkpoint
    }

    public func restore(_ checkpoint: StageCheckpoint) throws {
        guard checkpoint.metadata["stage"] == "search" else {
            throw ComponentError("checkpoint is of a '\(checkpoint.metadata["stage"] ?? "?")' stage, not a search")
        }
        try checkpoint.load(into: network, prefix: "network.")
        for (i, module) in objective.modules.enumerated() { try checkpoint.load(into: module, prefix: "objective.\(i).") }
        try checkpoint.load(into: weightOptimizer, prefix: "optimizer.weights.")
        try checkpoint.load(into: architectureOptimizer, prefix: "optimizer.architecture.")
        rng = try checkpoint.value(SeededGenerator.self, "rng")
        history = try checkpoint.value([SearchEpochRecord].self, "history")
        best = try checkpoint.value(SearchEpochRecord?.self, "best")
        (weightSteps, architectureSteps) = stepsTaken(epochs: epoch)
    }
}
