import Foundation
import FusionNAS
import FusionNASPipeline
import Layers
import Tensors

/// The pipeline's stages as separate commands: `search`, `pretrain`, `finetune`, `evaluate`.
enum StageCommands {
    static let genotype = OptionSpec(
        name: "genotype", kind: .path(placeholder: "FILE", example: "runs/first/genotype.json"),
        help: "Genotype JSON written by `fusion-nas search` or `run`.")
    static let weights = OptionSpec(
        name: "weights", kind: .path(placeholder: "FILE", example: "runs/first/weights.safetensors"),
        help: "Weights written by `fusion-nas pretrain`, `finetune` or `run`.")

    static let search = Command(
        name: "search",
        summary: "Search a fusion architecture: self-supervised (no labels) by default, or --objective supervised with --labels.",
        options: PipelineOptions.common + PipelineOptions.model + PipelineOptions.search + [
            PipelineOptions.epochs(default: PipelineOptions.defaults.searchEpochs, help: "Search epochs."),
        ],
        run: { given in
            let session = try Session(options: given, label: "search")
            try session.perform {
                let configuration = try PipelineOptions.configuration(session.options, epochs: \.searchEpochs)
                let pipeline = try makePipeline(configuration, session)
                if configuration.objective == "supervised" { try LabelledCounts.require(pipeline.data, configuration: configuration, for: .supervisedSearch) }
                try start(session, pipeline)
                let search: SearchOutcome
                if configuration.objective == "supervised" {
                    search = try pipeline.supervisedSearch()
                } else {
                    search = try pipeline.selfSupervisedSearch(encoders: try pipeline.selfSupervisedEncoders())
                }
                let genotype = search.genotype
                try RunArtifacts.writeGenotype(genotype, in: session.run)
                try RunArtifacts.writeWeightHistory(search.history, primitives: pipeline.primitives, in: session.run)
                try RunArtifacts.writeLossPlot(in: session.run)
                let text = """
                    # fusion-nas search

                    Objective: \(configuration.objective); best held-out score \(RunArtifacts.figure(search.best.score)) at epoch \(search.best.epoch) of \(search.history.count).

                    Found architecture: \(genotype)

                    Run directory: \(session.run.url.path)

                    """
                try AtomicFile.write(Data(text.utf8), to: session.run.url(for: .summaryMarkdown))
                print(text)
            }
        })

    static let pretrain = Command(
        name: "pretrain",
        summary: "Pretrain the network of a genotype with the self-supervised objective on all unlabelled training data.",
        options: PipelineOptions.common + PipelineOptions.model + [
            genotype, PipelineOptions.epochs(default: PipelineOptions.defaults.pretrainEpochs, help: "Pretraining epochs."),
        ],
        run: { given in
            let session = try Session(options: given, label: "pretrain")
            try session.perform {
                let configuration = try PipelineOptions.configuration(session.options, epochs: \.pretrainEpochs)
                let found = try loadGenotype(session.options)
                let pipeline = try makePipeline(configuration, session)
                try start(session, pipeline)
                let network = try pipeline.selfSupervisedPretraining(genotype: found, encoders: try pipeline.selfSupervisedEncoders())
                try RunArtifacts.writeGenotype(found, in: session.run)
                let weights = session.run.file("weights.safetensors")
                try RunArtifacts.writeWeights(network, genotype: found, to: weights)
                try RunArtifacts.writeLossPlot(in: session.run)
                print("pretrained \(found)\nweights: \(weights.path)")
            }
        })

    static let finetune = Command(
        name: "finetune",
        summary: "Fine-tune pretrained weights (without --weights: train the genotype from scratch) with a fraction --labels of the training labels and evaluate on the test split.",
        options: PipelineOptions.common + PipelineOptions.model + [
            genotype, weights, PipelineOptions.fineTuning,
            PipelineOptions.epochs(default: PipelineOptions.defaults.finetuneEpochs, help: "Fine-tuning epochs."),
        ],
        run: { given in
            let session = try Session(options: given, label: "finetune")
            try session.perform {
                let configuration = try PipelineOptions.configuration(session.options, epochs: \.finetuneEpochs)
                let found = try loadGenotype(session.options)
                let pipeline = try makePipeline(configuration, session)
                try LabelledCounts.require(pipeline.data, configuration: configuration, for: .fineTuning)
                let network = try buildNetwork(pipeline, genotype: found, withHead: false)
                // Without weights the genotype trains from its seeded initialisation: the scratch
                // baseline a fine-tuned network is judged against.
                if session.options.url("weights") != nil { try loadWeights(session.options, into: network) }
                try start(session, pipeline)
                network.freezeEncoders(configuration.encoderTraining == .pretrainedFrozen)
                // Drawn as `run` fine-tunes, so the same weights and labels give `run`'s figures.
                let threshold = try pipeline.fineTune(
                    network: network, mode: configuration.fineTuning, stage: Stage.selfSupervisedFineTuning.named("finetune"))
                try RunArtifacts.writeGenotype(found, in: session.run)
                try RunArtifacts.writeWeights(network, genotype: found, to: session.run.file("weights.safetensors"))
                try RunArtifacts.writeLossPlot(in: session.run)
                try report(pipeline.evaluate(network: network, threshold: threshold), session: session, method: "finetune")
            }
        })

    static let evaluate = Command(
        name: "evaluate",
        summary: "Evaluate fine-tuned weights on the validation subset and the test split.",
        options: PipelineOptions.common + PipelineOptions.model + [genotype, weights],
        run: { given in
            let session = try Session(options: given, label: "evaluate")
            try session.perform {
                let configuration = try PipelineOptions.configuration(session.options, epochs: nil)
                let found = try loadGenotype(session.options)
                let pipeline = try makePipeline(configuration, session)
                let network = try buildNetwork(pipeline, genotype: found, withHead: true)
                try loadWeights(session.options, into: network)
                try start(session, pipeline)
                let threshold = Evaluator.chooseThreshold(network: network, source: pipeline.data.source, indices: pipeline.data.labelledValidation)
                try report(pipeline.evaluate(network: network, threshold: threshold), session: session, method: "evaluate")
            }
        })

    /// The pipeline on the loaded data; checkpoints are attached by ``start(_:_:)``.
    static func makePipeline(_ configuration: PipelineConfiguration, _ session: Session) throws -> FusionPipeline {
        FusionPipeline(
            configuration: configuration, registry: session.registry, data: try PreparedData.load(configuration),
            observer: session.observer())
    }

    /// Starts the session (run directory, lock, config.json) once every input is checked, and
    /// gives the pipeline its checkpoints.
    static func start(_ session: Session, _ pipeline: FusionPipeline) throws {
        try session.start()
        pipeline.checkpoints = session.checkpoints
    }

    static func loadGenotype(_ options: OptionValues) throws -> Genotype {
        guard let url = options.url("genotype") else {
            throw UsageError("--genotype FILE is required, e.g. --genotype runs/first/genotype.json")
        }
        return try Genotype.load(from: url)
    }

    /// The found network of `genotype` as the pipeline builds it (same seeds, so the same tensor names).
    static func buildNetwork(_ pipeline: FusionPipeline, genotype: Genotype, withHead: Bool) throws -> MultimodalNetwork {
        var rng = SeededGenerator(seed: pipeline.configuration.seed)
        let network = try pipeline.makeFoundNetwork(genotype: genotype, encoders: try pipeline.makeEncoders(rng: &rng), rng: &rng)
        if withHead { network.attachHead(outputs: pipeline.data.source.task.outputs, rng: &rng) }
        return network
    }

    static func loadWeights(_ options: OptionValues, into network: MultimodalNetwork) throws {
        guard let url = options.url("weights") else {
            throw UsageError("--weights FILE is required, e.g. --weights runs/first/weights.safetensors")
        }
        let (tensors, _) = try Safetensors.read(from: url)
        // NaN weights would evaluate to a meaningless figure rather than fail.
        if let bad = firstNonFiniteTensor(tensors.sorted { $0.key < $1.key }.map { (name: $0.key, tensor: $0.value) }) {
            throw ComponentError(
                .nonFiniteWeights(tensor: bad.name),
                "--weights \(url.path): tensor '\(bad.name)' holds \(bad.value); these weights come from a run that diverged, so they cannot be used. Train again with a lower --lr")
        }
        do { try network.loadState(tensors, strict: false) } catch {
            throw ComponentError(.doesNotFit, "\(url.path) does not fit the network of this genotype and configuration: \(error)")
        }
        let missing = network.namedTensors().filter { tensors[$0.name] == nil }.map(\.name)
        guard missing.isEmpty || missing.allSatisfy({ $0.hasPrefix("head.") }) else {
            throw ComponentError(.doesNotFit, "\(url.path) lacks \(missing.count) tensors of this network (first: \(missing[0])); was it written for another genotype or configuration?")
        }
    }

    static func report(_ figures: (validation: EvaluationResult, test: EvaluationResult), session: Session, method: String) throws {
        session.logEvaluation(method, split: "validation", figures.validation)
        session.logEvaluation(method, split: "test", figures.test)
        var table = MarkdownTable(headers: ["split", "metric", "value", "all figures"])
        for (split, result) in [("validation", figures.validation), ("test", figures.test)] {
            let all = result.figures.sorted { $0.key < $1.key }.map { "\($0.key) \(RunArtifacts.figure($0.value))" }.joined(separator: ", ")
            table.addRow([split, result.metric, RunArtifacts.figure(result.value), all])
        }
        let text = "# fusion-nas \(method)\n\n" + table.render() + "\nRun directory: \(session.run.url.path)\n"
        try AtomicFile.write(Data(text.utf8), to: session.run.url(for: .summaryMarkdown))
        print(text)
    }
}
