import BMNAS
import Contrastive
import Foundation
import FusionNAS
import Layers
import MultimodalData
import Tensors

/// The main job as one straight line: data -> encoders -> search -> genotype -> found network ->
/// pretrain -> fine-tune on r labels -> test metrics. The supervised baseline (BM-NAS) runs through
/// the same code with the supervised objective, so the two differ only in the objective.
public final class FusionPipeline {
    public let configuration: PipelineConfiguration
    public let registry: ComponentRegistry
    public let data: PreparedData
    /// Receives progress, epoch figures and warnings.
    public var observer: (PipelineEvent) -> Void

    public init(
        configuration: PipelineConfiguration, registry: ComponentRegistry, data: PreparedData,
        observer: @escaping (PipelineEvent) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.registry = registry
        self.data = data
        self.observer = observer
    }

    /// A seed for one stage, derived from the run's seed so stages do not share random streams.
    func seed(_ stage: UInt64) -> UInt64 { configuration.seed &* 0x9E37_79B9 &+ stage }

    // MARK: Networks

    /// One encoder per modality, built from the registry.
    public func makeEncoders(rng: inout SeededGenerator) throws -> [any ModalityEncoder] {
        try (0..<data.source.modalityNames.count).map { i in
            var (name, encoderConfiguration) = data.source.encoderConfiguration(modality: i)
            if name != "precomputed" {
                encoderConfiguration.levels = configuration.encoderLevels
                encoderConfiguration.width = configuration.encoderWidth
            }
            return try registry.encoder(named: name).make(encoderConfiguration, &rng)
        }
    }

    /// The search-space sizes for these encoders' levels (input nodes named `modality.level`).
    public func searchSpaceConfiguration(encoders: [any ModalityEncoder]) -> SearchSpaceConfiguration {
        var names: [String] = []
        var shapes: [FeatureLevelShape] = []
        for (modality, encoder) in zip(data.source.modalityNames, encoders) {
            for (level, shape) in encoder.levelShapes.enumerated() {
                names.append("\(modality).\(level)")
                shapes.append(shape)
            }
        }
        return SearchSpaceConfiguration(
            inputNames: names, inputShapes: shapes, channels: configuration.channels, length: configuration.length,
            cells: configuration.cells, steps: configuration.steps, dropout: configuration.dropout,
            primitives: configuration.primitives)
    }

    /// A network whose body is the supernet.
    public func makeSupernetwork(encoders: [any ModalityEncoder], rng: inout SeededGenerator) throws -> (MultimodalNetwork, any Supernet) {
        let space = try registry.searchSpace(named: configuration.searchSpace)
        let supernet = try space.makeSupernet(searchSpaceConfiguration(encoders: encoders), registry: registry, rng: &rng)
        return (MultimodalNetwork(encoders: encoders, body: supernet), supernet)
    }

    /// A network whose body is the found network of `genotype`, with fresh fusion weights.
    public func makeFoundNetwork(genotype: Genotype, encoders: [any ModalityEncoder], rng: inout SeededGenerator) throws -> MultimodalNetwork {
        let space = try registry.searchSpace(named: genotype.searchSpace)
        let body = try space.makeNetwork(
            genotype: genotype, configuration: searchSpaceConfiguration(encoders: encoders), registry: registry, rng: &rng)
        return MultimodalNetwork(encoders: encoders, body: body)
    }

    /// The configured self-supervised objective with its projection head, for `network`.
    public func makeSelfSupervisedObjective(network: MultimodalNetwork, rng: inout SeededGenerator) throws -> SelfSupervisedObjective {
        let objective = try registry.objective(named: configuration.objective).make(
            ObjectiveConfiguration(options: ["temperature": configuration.temperature]), &rng)
        return SelfSupervisedObjective(
            objective: objective, representationSize: network.representationSize,
            modalityLevelShapes: network.encoders.map(\.levelShapes), augmentations: .default, rng: &rng)
    }

    // MARK: Stages

    /// Stage 0 (self-supervised, encoder mode `pretrained-frozen`): each encoder alone learns with a
    /// unimodal contrastive loss on the unlabelled training split, then is frozen.
    public func pretrainEncoders(_ encoders: [any ModalityEncoder], stage: String) throws {
        let trainer = try EncoderPretraining(
            encoders: encoders, source: data.source, indices: data.split.train,
            epochs: configuration.encoderEpochs, batchSize: configuration.batchSize,
            learningRate: configuration.learningRate, temperature: configuration.temperature, seed: seed(1))
        observer(.stageStarted(stage: stage, epochs: configuration.encoderEpochs))
        let started = Date()
        trainer.onStep = { [observer] epoch, step, of, loss in
            observer(.step(stage: stage, epoch: epoch, step: step, of: of, loss: loss))
        }
        while !trainer.isFinished {
            let loss = try trainer.runEpoch()
            observer(.epochFinished(stage: stage, epoch: trainer.epoch, figures: ["loss": loss]))
        }
        observer(.stageFinished(stage: stage, seconds: Date().timeIntervalSince(started)))
    }

    /// Stage 1: the bilevel search on `train` / `heldOut` with `objective`; returns the best genotype.
    public func search(
        network: MultimodalNetwork, supernet: any Supernet, objective: TrainingObjective,
        train: [Int], heldOut: [Int], stage: String
    ) throws -> ArchitectureSearch {
        var settings = SearchSettings()
        settings.epochs = configuration.searchEpochs
        settings.batchSize = min(configuration.batchSize, max(2, train.count))
        settings.weightLearningRate = configuration.learningRate
        settings.secondOrder = configuration.secondOrder
        let search = try ArchitectureSearch(
            network: network, supernet: supernet, objective: objective, source: data.source,
            trainIndices: train, heldOutIndices: heldOut, settings: settings, seed: seed(2))
        observer(.stageStarted(stage: stage, epochs: settings.epochs))
        let started = Date()
        while !search.isFinished {
            search.onStep = { [observer, epoch = search.epoch + 1] step, of, loss in
                observer(.step(stage: stage, epoch: epoch, step: step, of: of, loss: loss))
            }
            let record = try search.runEpoch()
            observer(.searchEpoch(stage: stage, record: record))
            observer(.epochFinished(stage: stage, epoch: record.epoch, figures: [
                "train_loss": record.trainLoss, "held_out_loss": record.heldOutLoss, "score": record.score,
            ]))
            warnOnCollapse(record, stage: stage)
        }
        observer(.stageFinished(stage: stage, seconds: Date().timeIntervalSince(started)))
        return search
    }

    func warnOnCollapse(_ record: SearchEpochRecord, stage: String) {
        for (name, weights) in record.architectureWeights where name.hasSuffix("primitive") {
            if let top = weights.max(), top > 0.9 {
                observer(.warning("\(stage): architecture weights of \(name) collapsed onto one choice (\(String(format: "%.2f", top))) at epoch \(record.epoch); if the genotype looks degenerate, try a lower architecture learning rate or fewer epochs"))
            }
        }
    }

    /// Trains `network` with `objective` on `indices` for `epochs`, selecting on `validationScore` when given.
    public func train(
        network: MultimodalNetwork, objective: TrainingObjective, parameters: [Tensor], indices: [Int],
        epochs: Int, stage: String, stageSeed: UInt64, validationScore: (() throws -> Double)? = nil
    ) throws -> Trainer {
        var settings = TrainingSettings(
            epochs: epochs, batchSize: min(configuration.batchSize, max(2, indices.count)),
            learningRate: configuration.learningRate)
        settings.weightDecay = 1e-4
        let trainer = try Trainer(
            network: network, objective: objective, parameters: parameters, source: data.source,
            trainIndices: indices, settings: settings, seed: seed(stageSeed), validationScore: validationScore)
        observer(.stageStarted(stage: stage, epochs: epochs))
        let started = Date()
        while !trainer.isFinished {
            trainer.onStep = { [observer, epoch = trainer.epoch + 1] step, of, loss in
                observer(.step(stage: stage, epoch: epoch, step: step, of: of, loss: loss))
            }
            let record = try trainer.runEpoch()
            var figures = ["train_loss": record.trainLoss]
            if let score = record.validationScore { figures["validation"] = score }
            observer(.epochFinished(stage: stage, epoch: record.epoch, figures: figures))
        }
        trainer.restoreBest()
        observer(.stageFinished(stage: stage, seconds: Date().timeIntervalSince(started)))
        return trainer
    }

    /// Stage 3: fine-tunes with the labelled fraction and selects on the labelled validation subset.
    /// Returns the multi-label threshold chosen on validation data (nil for multi-class).
    public func fineTune(network: MultimodalNetwork, mode: FineTuning, stage: String, stageSeed: UInt64) throws -> Double? {
        var rng = SeededGenerator(seed: seed(stageSeed))
        network.attachHead(outputs: data.source.task.outputs, rng: &rng)
        let objective = SupervisedObjective(task: data.source.task)
        let parameters: [Tensor]
        switch mode {
        case .full:
            network.freezeEncoders(false)
            parameters = network.parameters()
        case .linearProbe:
            network.freezeEncoders(true)
            parameters = network.head!.parameters()
        }
        let validation = data.labelledValidation
        let source = data.source
        _ = try train(
            network: network, objective: objective, parameters: parameters, indices: data.labelledTrain,
            epochs: configuration.finetuneEpochs, stage: stage, stageSeed: stageSeed &+ 1,
            validationScore: {
                let threshold = Evaluator.chooseThreshold(network: network, source: source, indices: validation)
                return Evaluator.evaluate(network: network, source: source, indices: validation, threshold: threshold).value
            })
        return Evaluator.chooseThreshold(network: network, source: source, indices: validation)
    }

    // MARK: The two pipelines

    /// Search, pretrain and fine-tune without reading a label before fine-tuning.
    public func runSelfSupervised() throws -> (result: MethodResult, network: MultimodalNetwork) {
        let started = Date()
        var rng = SeededGenerator(seed: seed(10))
        let encoders = try makeEncoders(rng: &rng)
        if configuration.encoderTraining == .pretrainedFrozen && encoders.contains(where: { !$0.parameters().isEmpty }) {
            try pretrainEncoders(encoders, stage: "ssl/encoders")
        }
        let frozen = configuration.encoderTraining == .pretrainedFrozen
        // 1. Search on the unlabelled training split, cut into weight and architecture halves.
        let (network, supernet) = try makeSupernetwork(encoders: encoders, rng: &rng)
        network.freezeEncoders(frozen)
        let searchObjective = try makeSelfSupervisedObjective(network: network, rng: &rng)
        let (searchTrain, heldOut) = PreparedData.halves(data.split.train, seed: seed(11))
        let search = try self.search(
            network: network, supernet: supernet, objective: searchObjective, train: searchTrain, heldOut: heldOut,
            stage: "ssl/search")
        let genotype = search.best!.genotype
        // 2. Pretrain the found network from scratch on all unlabelled training data.
        var buildRng = SeededGenerator(seed: seed(12))
        let found = try makeFoundNetwork(
            genotype: genotype, encoders: frozen ? encoders : try makeEncoders(rng: &buildRng), rng: &buildRng)
        found.freezeEncoders(frozen)
        let pretrainObjective = try makeSelfSupervisedObjective(network: found, rng: &buildRng)
        _ = try train(
            network: found, objective: pretrainObjective, parameters: found.parameters() + pretrainObjective.parameters,
            indices: data.split.train, epochs: configuration.pretrainEpochs, stage: "ssl/pretrain", stageSeed: 13)
        // 3. Fine-tune on r labels (the projection head is dropped: a fresh linear head goes on the representation).
        let threshold = try fineTune(network: found, mode: configuration.fineTuning, stage: "ssl/finetune", stageSeed: 14)
        // 4. Evaluate.
        return (finish(method: "ssl", genotype: genotype, network: found, threshold: threshold, started: started), found)
    }

    /// BM-NAS: search with the r labelled samples, then train the found network on them.
    public func runSupervised() throws -> (result: MethodResult, network: MultimodalNetwork) {
        let started = Date()
        var rng = SeededGenerator(seed: seed(20))
        let encoders = try makeEncoders(rng: &rng)
        let (network, supernet) = try makeSupernetwork(encoders: encoders, rng: &rng)
        network.attachHead(outputs: data.source.task.outputs, rng: &rng)
        let (searchTrain, heldOut) = PreparedData.halves(data.labelledTrain, seed: seed(21))
        let search = try self.search(
            network: network, supernet: supernet, objective: SupervisedObjective(task: data.source.task),
            train: searchTrain, heldOut: heldOut, stage: "supervised/search")
        let genotype = search.best!.genotype
        var buildRng = SeededGenerator(seed: seed(22))
        let found = try makeFoundNetwork(genotype: genotype, encoders: try makeEncoders(rng: &buildRng), rng: &buildRng)
        let threshold = try fineTune(network: found, mode: .full, stage: "supervised/train", stageSeed: 24)
        return (finish(method: "supervised", genotype: genotype, network: found, threshold: threshold, started: started), found)
    }

    func finish(method: String, genotype: Genotype, network: MultimodalNetwork, threshold: Double?, started: Date) -> MethodResult {
        let validation = Evaluator.evaluate(
            network: network, source: data.source, indices: data.labelledValidation, threshold: threshold)
        let test = Evaluator.evaluate(network: network, source: data.source, indices: data.split.test, threshold: threshold)
        return MethodResult(
            method: method, labelFraction: configuration.labelFraction, seed: configuration.seed, genotype: genotype,
            validation: validation, test: test, seconds: Date().timeIntervalSince(started))
    }
}
