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

    /// The same data and settings at another label fraction: the standardised dataset is shared,
    /// only the labelled indices are drawn anew (as the fraction and seed determine them).
    public func atLabelFraction(_ fraction: Double) throws -> FusionPipeline {
        var other = configuration
        other.labelFraction = fraction
        let pipeline = FusionPipeline(
            configuration: other, registry: registry,
            data: try PreparedData.prepare(data.source.dataset, configuration: other, standardized: true), observer: observer)
        pipeline.checkpoints = checkpoints
        return pipeline
    }

    /// The seed of `stage`'s `stream` in this run (see ``Stage``).
    public func seed(_ stage: Stage, _ stream: Stage.Stream) -> UInt64 { stage.seed(stream, runSeed: configuration.seed) }

    // MARK: Networks

    /// One encoder per modality, built from the registry.
    public func makeEncoders(rng: inout SeededGenerator) throws -> [any ModalityEncoder] {
        let modalities = data.source.modalityNames
        for modality in configuration.encoders.keys.sorted() where !modalities.contains(modality) {
            throw ComponentError(
                .invalidOption(component: "encoders"),
                "an encoder is chosen for modality '\(modality)', which the data does not have (its modalities: \(modalities.joined(separator: ", ")))")
        }
        return try (0..<modalities.count).map { i in
            var (name, encoderConfiguration) = data.source.encoderConfiguration(modality: i)
            name = configuration.encoders[modalities[i]] ?? name
            if name != "precomputed" {
                encoderConfiguration.levels = configuration.encoderLevels
                encoderConfiguration.width = configuration.encoderWidth
            }
            return try registry.encoder(named: name).make(encoderConfiguration, &rng)
        }
    }

    /// How the configured search space is searched unless the configuration says otherwise
    /// (``SearchDefaults/project`` for a name the registry does not know; building the supernet
    /// reports that name).
    public var searchDefaults: SearchDefaults {
        (try? registry.searchSpace(named: configuration.searchSpace))?.searchDefaults ?? .project
    }

    /// The primitives searched over: the configuration's, else the search space's, else the
    /// project's list.
    public var primitives: [String] {
        configuration.primitives ?? searchDefaults.primitives ?? BMNASComponents.projectPrimitives
    }

    /// The search-space sizes for these encoders' levels (input nodes named `modality.level`).
    /// `readsLabels`: whether the configuration is for a supervised search (it decides the default
    /// modality coverage).
    public func searchSpaceConfiguration(encoders: [any ModalityEncoder], readsLabels: Bool = false) -> SearchSpaceConfiguration {
        var names: [String] = []
        var shapes: [FeatureLevelShape] = []
        for (modality, encoder) in zip(data.source.modalityNames, encoders) {
            for (level, shape) in encoder.levelShapes.enumerated() {
                names.append("\(modality).\(level)")
                shapes.append(shape)
            }
        }
        var space = SearchSpaceConfiguration(
            inputNames: names, inputShapes: shapes, channels: configuration.channels, length: configuration.length,
            cells: configuration.cells, steps: configuration.steps, dropout: configuration.dropout,
            primitives: primitives, vectorLevels: configuration.vectorLevels)
        space.readsEveryModality = configuration.readsEveryModality(readsLabels: readsLabels)
        space.inputPooling = configuration.inputPooling
        space.cellOutput = configuration.cellOutput
        return space
    }

    /// The structure switches are `fusionnas`'s: `bmnas` refuses them itself, but a plugin's space
    /// would ignore them and build another network than the one asked for.
    func requireStructureSwitchesOnlyIn(_ searchSpace: String) throws {
        let chosen = configuration.inputPooling != nil || configuration.cellOutput != nil
        if let refusal = FusionNASSearchSpace.structureSwitchRefusal(chosen: chosen, space: searchSpace) {
            throw ComponentError(.invalidOption(component: searchSpace), refusal)
        }
    }

    /// A network whose body is the supernet.
    public func makeSupernetwork(
        encoders: [any ModalityEncoder], readsLabels: Bool = false, rng: inout SeededGenerator
    ) throws -> (MultimodalNetwork, any Supernet) {
        let space = try registry.searchSpace(named: configuration.searchSpace)
        try requireStructureSwitchesOnlyIn(configuration.searchSpace)
        let supernet = try space.makeSupernet(searchSpaceConfiguration(encoders: encoders, readsLabels: readsLabels), registry: registry, rng: &rng)
        return (MultimodalNetwork(encoders: encoders, body: supernet), supernet)
    }

    /// A network whose body is the found network of `genotype`, with fresh fusion weights.
    public func makeFoundNetwork(genotype: Genotype, encoders: [any ModalityEncoder], rng: inout SeededGenerator) throws -> MultimodalNetwork {
        let space = try registry.searchSpace(named: genotype.searchSpace)
        if let mismatch = space.mismatch(genotype) { throw ComponentError(.doesNotFit, mismatch) }
        if let structure = genotype.structure, genotype.searchSpace != FusionNASSearchSpace.name {
            throw ComponentError(
                .doesNotFit,
                "the genotype has the fusionnas structure switches (\(structure)), which search space '\(genotype.searchSpace)' does not build")
        }
        try requireStructureSwitchesOnlyIn(genotype.searchSpace)
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
            modalityLevelShapes: network.encoders.map(\.levelShapes), augmentations: try augmentations(rng: &rng), rng: &rng)
    }

    /// The per-modality part of the configured augmentations, for encoders pretrained one modality
    /// at a time (augmentations across modalities have nothing to act on there).
    func unimodalAugmentations(stage: Stage) throws -> AugmentationPipeline {
        var rng = SeededGenerator(seed: seed(stage, .build))
        return AugmentationPipeline(perModality: try augmentations(rng: &rng).perModality)
    }

    /// The configured augmentations, built from the registry; the default pipeline when none are named.
    public func augmentations(rng: inout SeededGenerator) throws -> AugmentationPipeline {
        guard let choices = configuration.augmentations else { return .default }
        return AugmentationPipeline(components: try choices.map { try registry.augmentation(named: $0.name).make($0.options, &rng) })
    }

    // MARK: Stages

    /// Where stages save a checkpoint after every epoch and resume from; nil keeps no checkpoints.
    public var checkpoints: CheckpointStore?
    /// The ranks a data-parallel run splits its batches over (Docs/distributed.md); nil for one process.
    public var communicator: (any Communicator)? = FusionPipeline.processCommunicator

    /// Runs `stage` to the end one epoch at a time, continuing from its checkpoint if there is one.
    /// `afterEpoch` reports the epoch; the checkpoint is written after it.
    func drive(_ stage: some ResumableStage, name: String, epochs: Int, afterEpoch: () throws -> Void) throws {
        if let saved = try checkpoints?.load(stage: name) {
            try stage.restore(saved)
            observer(.resumed(stage: name, epoch: stage.epoch))
        }
        observer(.stageStarted(stage: name, epochs: epochs))
        let started = Date()
        while !stage.isFinished {
            do { try afterEpoch() } catch var error as NonFiniteValueError {
                // Thrown before this epoch's checkpoint, so the saved one is the last good state.
                error.stage = name
                if let checkpoints, FileManager.default.fileExists(atPath: checkpoints.url(for: name).path) {
                    error.kept = "its last good checkpoint (after epoch \(stage.epoch)) is kept in \(checkpoints.url(for: name).path)"
                } else {
                    error.kept = "no epoch of it finished, so it left no checkpoint"
                }
                throw error
            }
            try checkpoints?.save(try stage.checkpoint(), stage: name)
        }
        observer(.stageFinished(stage: name, seconds: Date().timeIntervalSince(started)))
    }

    /// Stage 0 (self-supervised, encoder mode `pretrained-frozen`): each encoder alone learns with a
    /// unimodal contrastive loss on the unlabelled training split, then is frozen.
    public func pretrainEncoders(_ encoders: [any ModalityEncoder], stage: Stage = .selfSupervisedEncoders) throws {
        let trainer = try EncoderPretraining(
            encoders: encoders, source: data.source, indices: data.split.train,
            epochs: configuration.encoderEpochs, batchSize: configuration.batchSize,
            learningRate: configuration.learningRate, temperature: configuration.temperature,
            seed: seed(stage, .training), augmentations: try unimodalAugmentations(stage: stage))
        trainer.communicator = communicator
        let name = stage.name
        trainer.onStep = { [observer] epoch, step, of, loss in
            observer(.step(stage: name, epoch: epoch, step: step, of: of, loss: loss))
        }
        try drive(trainer, name: name, epochs: configuration.encoderEpochs) {
            let loss = try trainer.runEpoch()
            observer(.epochFinished(stage: name, epoch: trainer.epoch, figures: ["loss": loss]))
        }
    }

    /// Stage 1: the bilevel search on `train` / `heldOut` with `objective`; returns the searcher
    /// and the epoch whose genotype had the best held-out score.
    public func search(
        network: MultimodalNetwork, supernet: any Supernet, objective: TrainingObjective,
        train: [Int], heldOut: [Int], stage: Stage
    ) throws -> SearchOutcome {
        let searchSeed = seed(stage, .training)
        let stage = stage.name
        var settings = SearchSettings()
        settings.apply(searchDefaults)
        settings.epochs = configuration.searchEpochs
        settings.batchSize = min(configuration.batchSize, max(2, train.count))
        settings.weightLearningRate = configuration.learningRate
        if let rate = configuration.architectureLearningRate { settings.architectureLearningRate = rate }
        if let alternation = configuration.searchAlternation { settings.alternation = alternation }
        if let schedule = configuration.weightSchedule { settings.weightSchedule = schedule }
        if let clip = configuration.gradientClip { settings.gradientClip = clip.settingsValue }
        settings.secondOrder = configuration.secondOrder
        settings.betaDecay = configuration.betaDecay
        settings.selection = configuration.genotypeSelection
            ?? searchDefaults.genotypeSelection ?? configuration.genotypeSelection(readsLabels: objective.readsLabels)
        let search = try ArchitectureSearch(
            network: network, supernet: supernet, objective: objective, source: data.source,
            trainIndices: train, heldOutIndices: heldOut, settings: settings, seed: searchSeed)
        search.communicator = splitsBatches(network: network, objective: objective)
        try drive(search, name: stage, epochs: settings.epochs) {
            search.onStep = { [observer, epoch = search.epoch + 1] step, of, loss in
                observer(.step(stage: stage, epoch: epoch, step: step, of: of, loss: loss))
            }
            let record = try search.runEpoch()
            observer(.searchEpoch(stage: stage, record: record))
            observer(.epochFinished(stage: stage, epoch: record.epoch, figures: [
                "train_loss": record.trainLoss, "held_out_loss": record.heldOutLoss, "score": record.score,
            ]))
            warnOnCollapse(record, choices: supernet.operationChoices, stage: stage)
        }
        let outcome = try SearchOutcome(search, stage: stage)
        let genotype = outcome.genotype
        if !genotype.unreadModalities.isEmpty {
            // A contrastive loss can be satisfied by the easiest modality alone; say so rather than
            // let a fusion network silently ignore a view.
            observer(.warning("\(stage): the chosen genotype reads no feature level of \(genotype.unreadModalities.joined(separator: ", ")) (\(genotype)); the network will ignore \(genotype.unreadModalities.count == 1 ? "that modality" : "those modalities")"))
        }
        return outcome
    }

    /// Choices already warned about, so a collapse is reported once, when it happens.
    private var collapsed = Set<String>()

    func warnOnCollapse(_ record: SearchEpochRecord, choices: [String], stage: String) {
        for name in choices.sorted() {
            if let top = record.architectureWeights[name]?.max(), top > 0.9, collapsed.insert(stage + name).inserted {
                observer(.warning("\(stage): the architecture weights of \(name) collapsed onto one choice (\(String(format: "%.2f", top))) at epoch \(record.epoch); if the genotype looks degenerate, try a lower architecture learning rate, fewer search epochs or --beta-decay"))
            }
        }
    }

    /// Trains `network` with `objective` on `indices` for `epochs` with `stage`'s training stream,
    /// selecting on `validationScore` when given.
    public func train(
        network: MultimodalNetwork, objective: TrainingObjective, parameters: [Tensor], indices: [Int],
        epochs: Int, stage: Stage, validationScore: (() throws -> Double)? = nil
    ) throws -> Trainer {
        try train(
            network: network, objective: objective, parameters: parameters, indices: indices, epochs: epochs,
            name: stage.name, seed: seed(stage, .training), validationScore: validationScore)
    }

    private func train(
        network: MultimodalNetwork, objective: TrainingObjective, parameters: [Tensor], indices: [Int],
        epochs: Int, name stage: String, seed: UInt64, validationScore: (() throws -> Double)?
    ) throws -> Trainer {
        var settings = TrainingSettings(
            epochs: epochs, batchSize: min(configuration.batchSize, max(2, indices.count)),
            learningRate: configuration.learningRate)
        settings.weightDecay = 1e-4
        let trainer = try Trainer(
            network: network, objective: objective, parameters: parameters, source: data.source,
            trainIndices: indices, settings: settings, seed: seed, validationScore: validationScore)
        trainer.communicator = splitsBatches(network: network, objective: objective)
        try drive(trainer, name: stage, epochs: epochs) {
            trainer.onStep = { [observer, epoch = trainer.epoch + 1] step, of, loss in
                observer(.step(stage: stage, epoch: epoch, step: step, of: of, loss: loss))
            }
            let record = try trainer.runEpoch()
            var figures = ["train_loss": record.trainLoss]
            if let score = record.validationScore { figures["validation"] = score }
            observer(.epochFinished(stage: stage, epoch: record.epoch, figures: figures))
        }
        trainer.restoreBest()
        return trainer
    }

    /// Stage 3: attaches a fresh head (`stage`'s head stream), fine-tunes with the labelled fraction
    /// and selects on the labelled validation subset. The full or probe-only phase draws from the
    /// training stream; LP-FT's first phase, `<stage>-probe`, from the probe stream.
    /// Returns the multi-label threshold chosen on validation data (nil for multi-class).
    public func fineTune(network: MultimodalNetwork, mode: FineTuning, stage: Stage) throws -> Double? {
        var rng = SeededGenerator(seed: seed(stage, .head))
        network.attachHead(outputs: data.source.task.outputs, rng: &rng)
        let objective = SupervisedObjective(task: data.source.task)
        let validation = data.labelledValidation
        let source = data.source
        func phase(_ probe: Bool, epochs: Int, name: String, seed: UInt64) throws {
            network.freezeEncoders(false)
            network.freezeRepresentation(probe)
            defer { network.freezeRepresentation(false) }
            _ = try train(
                network: network, objective: objective,
                parameters: probe ? network.head!.parameters() : network.parameters(), indices: data.labelledTrain,
                epochs: epochs, name: name, seed: seed,
                validationScore: {
                    let threshold = Evaluator.chooseThreshold(network: network, source: source, indices: validation)
                    return Evaluator.evaluate(network: network, source: source, indices: validation, threshold: threshold).value
                })
        }
        let epochs = configuration.finetuneEpochs
        let name = stage.name
        switch mode {
        case .full: try phase(false, epochs: epochs, name: name, seed: seed(stage, .training))
        case .linearProbe: try phase(true, epochs: epochs, name: name, seed: seed(stage, .training))
        case .probeThenFull:
            try phase(true, epochs: max(1, epochs / 2), name: name + "-probe", seed: seed(stage, .probe))
            try phase(false, epochs: max(1, epochs - epochs / 2), name: name, seed: seed(stage, .training))
        }
        return Evaluator.chooseThreshold(network: network, source: source, indices: validation)
    }

    // MARK: The two pipelines, stage by stage

    /// Whether encoders are pretrained alone and then frozen (self-supervised pipeline).
    var freezesEncoders: Bool { configuration.encoderTraining == .pretrainedFrozen }

    /// The self-supervised pipeline's encoders: built from the run's seed and, in the
    /// `pretrained-frozen` mode, pretrained alone without labels.
    public func selfSupervisedEncoders() throws -> [any ModalityEncoder] {
        var rng = SeededGenerator(seed: seed(.selfSupervisedEncoders, .build))
        let encoders = try makeEncoders(rng: &rng)
        if freezesEncoders && encoders.contains(where: { !$0.parameters().isEmpty }) {
            try pretrainEncoders(encoders, stage: .selfSupervisedEncoders)
        }
        return encoders
    }

    /// 1. Search without labels: weight steps on the training split's inputs, architecture steps on
    /// the validation split's inputs (BM-NAS's split of roles; no label of either is read).
    public func selfSupervisedSearch(encoders: [any ModalityEncoder]) throws -> SearchOutcome {
        let stage = Stage.selfSupervisedSearch
        var rng = SeededGenerator(seed: seed(stage, .build))
        let (network, supernet) = try makeSupernetwork(encoders: encoders, rng: &rng)
        network.freezeEncoders(freezesEncoders)
        let objective = try makeSelfSupervisedObjective(network: network, rng: &rng)
        return try search(
            network: network, supernet: supernet, objective: objective, train: data.split.train,
            heldOut: data.split.validation, stage: stage)
    }

    /// 2. The found network trained from scratch with the self-supervised loss on all unlabelled
    /// training data (encoders: the frozen pretrained ones, or fresh ones in the `joint` mode).
    public func selfSupervisedPretraining(genotype: Genotype, encoders: [any ModalityEncoder]) throws -> MultimodalNetwork {
        try selfSupervisedPretrainingWithObjective(genotype: genotype, encoders: encoders).network
    }

    /// ``selfSupervisedPretraining(genotype:encoders:)``, also returning the trained objective (its
    /// projection head), to score the network with ``heldOutSelfSupervisedLoss(network:objective:indices:)``.
    public func selfSupervisedPretrainingWithObjective(genotype: Genotype, encoders: [any ModalityEncoder]) throws
        -> (network: MultimodalNetwork, objective: SelfSupervisedObjective)
    {
        let stage = Stage.selfSupervisedPretraining
        var rng = SeededGenerator(seed: seed(stage, .build))
        let network = try makeFoundNetwork(
            genotype: genotype, encoders: freezesEncoders ? encoders : try makeEncoders(rng: &rng), rng: &rng)
        network.freezeEncoders(freezesEncoders)
        let objective = try makeSelfSupervisedObjective(network: network, rng: &rng)
        _ = try train(
            network: network, objective: objective, parameters: network.parameters() + objective.parameters,
            indices: data.split.train, epochs: configuration.pretrainEpochs, stage: stage)
        return (network, objective)
    }

    /// The mean self-supervised loss over `indices` in evaluation mode, no label read, with
    /// augmentations drawn from a fixed seed so that networks are scored on equal terms.
    public func heldOutSelfSupervisedLoss(network: MultimodalNetwork, objective: SelfSupervisedObjective, indices: [Int]) throws -> Double {
        let modules = [network as Module] + objective.modules
        modules.forEach { $0.eval() }
        defer { modules.forEach { $0.train() } }
        var fixed = SeededGenerator(seed: 0x5EED)
        var sum = 0.0
        try withoutGrad {
            for batch in miniBatches(indices, batchSize: configuration.batchSize, shuffle: false, rng: &fixed) {
                let loss = try objective.loss(network: network, batch: data.source.batch(batch, withLabels: false), rng: &fixed)
                sum += Double(loss.item) * Double(batch.count)
            }
        }
        return sum / Double(max(indices.count, 1))
    }

    /// Stages 0-2 of the self-supervised pipeline: encoders, search and pretraining of the found
    /// network. They read no label, so ``FusionStudy`` and `sweep` run them once per seed and
    /// fine-tune the result at every label fraction (``PretrainedNetwork/restore()`` in between).
    public func selfSupervisedPretrained() throws -> (pretrained: PretrainedNetwork, search: SearchOutcome) {
        let encoders = try selfSupervisedEncoders()
        let search = try selfSupervisedSearch(encoders: encoders)
        let network = try selfSupervisedPretraining(genotype: search.genotype, encoders: encoders)
        return (PretrainedNetwork(genotype: search.genotype, network: network), search)
    }

    /// Stages 3-4 for a network already built (and perhaps pretrained): a fresh head fine-tuned on
    /// the r labels with `stage`'s seeds, then validation and test figures.
    public func fineTuneAndEvaluate(
        _ network: MultimodalNetwork, mode: FineTuning, stage: Stage
    ) throws -> (validation: EvaluationResult, test: EvaluationResult) {
        let threshold = try fineTune(network: network, mode: mode, stage: stage)
        return evaluate(network: network, threshold: threshold)
    }

    /// Fine-tunes a self-supervised pretrained network at this pipeline's label fraction (the
    /// projection head is dropped, a fresh linear head goes on the representation) and evaluates it.
    ///
    /// With ``PipelineConfiguration/scratchFallback`` the same genotype is also trained from scratch
    /// on the same labels (``Stage/selfSupervisedScratch``, every parameter), and whichever scores
    /// higher on the labelled validation subset is reported; the test split is read once, for it.
    public func fineTuneSelfSupervised(_ pretrained: PretrainedNetwork, started: Date = Date()) throws -> MethodResult {
        try fineTuneSelfSupervisedKeepingBest(pretrained, started: started).result
    }

    func fineTuneSelfSupervisedKeepingBest(
        _ pretrained: PretrainedNetwork, started: Date
    ) throws -> (result: MethodResult, network: MultimodalNetwork) {
        let threshold = try fineTune(network: pretrained.network, mode: configuration.fineTuning, stage: .selfSupervisedFineTuning)
        var chosen = (network: pretrained.network, threshold: threshold, weights: "pretrained")
        if configuration.scratchFallback {
            let fineTuned = evaluate(network: pretrained.network, threshold: threshold, test: false).validation
            let scratch = try makeFreshNetwork(genotype: pretrained.genotype, stage: .selfSupervisedScratch)
            let scratchThreshold = try fineTune(network: scratch, mode: .full, stage: .selfSupervisedScratch)
            let fromScratch = evaluate(network: scratch, threshold: scratchThreshold, test: false).validation
            if fromScratch.value > fineTuned.value {
                observer(.warning(String(
                    format: "ssl: the genotype trained from scratch on the same labels scores higher on validation (%.3f) than the fine-tuned pretrained network (%.3f); reporting the network trained from scratch",
                    fromScratch.value, fineTuned.value)))
                chosen = (scratch, scratchThreshold, "scratch")
            }
        }
        let (validation, test) = evaluate(network: chosen.network, threshold: chosen.threshold)
        var result = result(method: "ssl", genotype: pretrained.genotype, validation: validation, test: test, started: started)
        if configuration.scratchFallback { result.weights = chosen.weights }
        return (result, chosen.network)
    }

    /// Search, pretrain and fine-tune without reading a label before fine-tuning; the network is
    /// the one reported (the scratch fallback's when it won on validation).
    public func runSelfSupervised() throws -> (result: MethodResult, network: MultimodalNetwork, search: SearchOutcome) {
        let started = Date()
        let (pretrained, search) = try selfSupervisedPretrained()
        let (result, network) = try fineTuneSelfSupervisedKeepingBest(pretrained, started: started)
        return (result, network, search)
    }

    /// BM-NAS's search: with the r labelled samples only, encoders trained jointly from scratch.
    public func supervisedSearch() throws -> SearchOutcome {
        let stage = Stage.supervisedSearch
        var rng = SeededGenerator(seed: seed(stage, .build))
        let encoders = try makeEncoders(rng: &rng)
        let (network, supernet) = try makeSupernetwork(encoders: encoders, readsLabels: true, rng: &rng)
        network.attachHead(outputs: data.source.task.outputs, rng: &rng)
        let (train, heldOut) = PreparedData.halves(data.labelledTrain, seed: seed(stage, .split))
        return try self.search(
            network: network, supernet: supernet, objective: SupervisedObjective(task: data.source.task),
            train: train, heldOut: heldOut, stage: stage)
    }

    /// A fresh found network of `genotype`, built as the supervised baseline builds its own (the
    /// `build` stream of `stage`), for arms that train from scratch.
    public func makeFreshNetwork(genotype: Genotype, stage: Stage = .supervisedTraining) throws -> MultimodalNetwork {
        var rng = SeededGenerator(seed: seed(stage, .build))
        return try makeFoundNetwork(genotype: genotype, encoders: try makeEncoders(rng: &rng), rng: &rng)
    }

    /// BM-NAS: search with the r labelled samples, then train the found network on them.
    public func runSupervised() throws -> (result: MethodResult, network: MultimodalNetwork, search: SearchOutcome) {
        let started = Date()
        let search = try supervisedSearch()
        let found = try makeFreshNetwork(genotype: search.genotype, stage: .supervisedTraining)
        let (validation, test) = try fineTuneAndEvaluate(found, mode: .full, stage: .supervisedTraining)
        let result = result(method: "supervised", genotype: search.genotype, validation: validation, test: test, started: started)
        return (result, found, search)
    }

    /// Validation and test figures of a trained network.
    public func evaluate(network: MultimodalNetwork, threshold: Double?) -> (validation: EvaluationResult, test: EvaluationResult) {
        let (validation, test) = evaluate(network: network, threshold: threshold, test: true)
        return (validation, test!)
    }

    /// The validation figure of a trained network, and the test figure only when `test` is true
    /// (work that must not read the test split passes false).
    public func evaluate(network: MultimodalNetwork, threshold: Double?, test: Bool) -> (validation: EvaluationResult, test: EvaluationResult?) {
        (Evaluator.evaluate(network: network, source: data.source, indices: data.labelledValidation, threshold: threshold),
         test ? Evaluator.evaluate(network: network, source: data.source, indices: data.split.test, threshold: threshold) : nil)
    }

    func result(
        method: String, genotype: Genotype, validation: EvaluationResult, test: EvaluationResult, started: Date
    ) -> MethodResult {
        MethodResult(
            method: method, labelFraction: configuration.labelFraction, seed: configuration.seed, genotype: genotype,
            validation: validation, test: test, seconds: Date().timeIntervalSince(started))
    }
}
