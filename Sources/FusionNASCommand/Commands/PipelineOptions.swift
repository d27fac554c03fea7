import Contrastive
import FusionNAS
import FusionNASPipeline

/// Options of the commands that train, declared once so every subcommand names them the same way.
enum PipelineOptions {
    /// Defaults come from the pipeline's own, so help and behaviour cannot drift apart.
    static let defaults = PipelineConfiguration()

    static let channels = OptionSpec(name: "channels", kind: .int(minimum: 1), default: .int(defaults.channels), help: "Channels C of every fused feature map (BM-NAS on MM-IMDB: 192).")
    static let length = OptionSpec(name: "length", kind: .int(minimum: 1), default: .int(defaults.length), help: "Length L of every fused feature map (BM-NAS on MM-IMDB: 16).")
    static let cells = OptionSpec(name: "cells", kind: .int(minimum: 1), default: .int(defaults.cells), help: "Number of cells N.")
    static let steps = OptionSpec(name: "steps", kind: .int(minimum: 1), default: .int(defaults.steps), help: "Step nodes M per cell.")
    static let dropout = OptionSpec(name: "dropout", kind: .double(), default: .double(decimal(defaults.dropout)), help: "Dropout inside primitives.")
    static let vectorLevels = OptionSpec(name: "vector-levels", kind: .choice(VectorLevels.allCases.map(\.rawValue)), default: .string(defaults.vectorLevels.rawValue), help: "How a vector feature level becomes a (C, L) map: repeated along L (BM-NAS), or projected to C·L values so each position differs.")
    static let batchSize = OptionSpec(name: "batch-size", kind: .int(minimum: 2), default: .int(defaults.batchSize), help: "Mini-batch size.")
    static let lr = OptionSpec(name: "lr", kind: .double(positive: true, example: "0.001"), default: .double(decimal(defaults.learningRate)), help: "Adam learning rate of the weights (cosine annealed).")
    static let archLR = OptionSpec(name: "arch-lr", kind: .double(positive: true, example: "0.003"), default: .double(decimal(defaults.architectureLearningRate)), help: "Adam learning rate of the architecture parameters (BM-NAS: 3e-4).")
    static let temperature = OptionSpec(name: "temperature", kind: .double(above: ContrastiveValidation.minimumTemperature, example: "0.2"), default: .double(defaults.temperature), help: "Temperature of the contrastive objective (above \(ContrastiveValidation.minimumTemperature), the objectives' bound).")
    static let searchEpochs = OptionSpec(name: "search-epochs", kind: .int(minimum: 1), default: .int(defaults.searchEpochs), help: "Epochs of the architecture search (run and sweep; search uses --epochs).")
    static let pretrainEpochs = OptionSpec(name: "pretrain-epochs", kind: .int(minimum: 1), default: .int(defaults.pretrainEpochs), help: "Epochs of self-supervised pretraining of the found network.")
    static let finetuneEpochs = OptionSpec(name: "finetune-epochs", kind: .int(minimum: 1), default: .int(defaults.finetuneEpochs), help: "Epochs of fine-tuning (and of the supervised baseline's training).")
    static let encoderEpochs = OptionSpec(name: "encoder-epochs", kind: .int(minimum: 1), default: .int(defaults.encoderEpochs), help: "Epochs of unimodal self-supervised encoder pretraining.")
    static let encoderTraining = OptionSpec(name: "encoder-training", kind: .choice(EncoderTraining.allCases.map(\.rawValue)), default: .string(defaults.encoderTraining.rawValue), help: "Encoders without a backbone: pretrained alone without labels then frozen, or trained jointly.")
    static let fineTuning = OptionSpec(name: "fine-tuning", kind: .choice(FineTuning.allCases.map(\.rawValue)), default: .string(defaults.fineTuning.rawValue), help: "Fine-tune every parameter, only a linear probe, or a linear probe for half the epochs and then every parameter (LP-FT).")
    static let secondOrder = OptionSpec(name: "second-order", kind: .flag, help: "Second-order DARTS (unrolled step, finite-difference Hessian-vector product).")
    static let betaDecay = OptionSpec(name: "beta-decay", kind: .double(example: "1"), default: .double(decimal(defaults.betaDecay)), help: "β-DARTS Beta-Decay weight on the architecture parameters, ramped linearly to this value over the search (0: off).")
    static let selection = OptionSpec(name: "selection", kind: .choice(GenotypeSelection.allCases.map(\.rawValue)), default: .string(defaults.genotypeSelection.rawValue), help: "How the genotype is read off the supernet: the largest architecture weight (DARTS), or the option whose removal hurts the held-out loss most (DARTS-PT).")
    static let modalityCoverage = OptionSpec(name: "modality-coverage", kind: .choice(["every", "any"]), default: .string(defaults.readsEveryModality ? "every" : "any"), help: "Whether the derived genotype must read every modality (every), or may drop one that the search weighted low (any).")
    /// The search options every command that searches declares.
    static let search: [OptionSpec] = [secondOrder, betaDecay, selection, modalityCoverage]

    /// The model and optimisation options shared by search, pretrain, finetune, run and sweep.
    static let model: [OptionSpec] = [channels, length, cells, steps, dropout, vectorLevels, batchSize, lr, archLR, temperature, encoderTraining, encoderEpochs]

    /// Plugins named in a configuration file: `{"plugins": ["libmine.so"]}` (relative to the file).
    static let plugins = OptionSpec(
        name: "plugins", kind: .list(placeholder: "PATH,...", example: "libmine.so"), defaultDescription: "none",
        help: "Plugin libraries as a list, mainly for --config files; relative paths are relative to the configuration file.")

    /// The shared options with this project's defaults.
    static let common: [OptionSpec] = [
        OptionSpec(
            name: "dataset", kind: .string(placeholder: "NAME|PATH", example: "uci-mfeat"), default: .string(defaults.dataset),
            help: "Built-in dataset (\(BuiltInDatasets.descriptions.map(\.0).joined(separator: ", "))), a manifest .json, or an MM-IMDB .hdf5."),
        OptionSpec(
            name: "modalities", kind: .list(placeholder: "a,b,...", example: "pix,fou"),
            defaultDescription: "the dataset's default (uci-mfeat: pix,fou; others: all)", help: "Modalities to use, by name (two or more)."),
        CommonOptions.labels,
        OptionSpec(
            name: "objective", kind: .string(placeholder: "NAME", example: "ntxent"), default: .string(defaults.objective),
            help: "Self-supervised objective, by registered name (built in: ntxent, clip; `fusion-nas plugins list` shows all)."),
        OptionSpec(
            name: "primitives", kind: .primitiveList(example: "sum,concat_fc,low_rank_tensor"),
            defaultDescription: defaults.primitives.joined(separator: ","),
            help: "Fusion primitives the search chooses from, by registered name."),
        CommonOptions.seed, CommonOptions.threads, CommonOptions.out, CommonOptions.resume, CommonOptions.plugin,
        plugins, CommonOptions.config, CommonOptions.quiet, CommonOptions.verbose,
    ]

    /// The pipeline configuration the options describe; `epochsOption` names the option that
    /// `--epochs` stands for in this command.
    static func configuration(_ options: OptionValues, epochs: WritableKeyPath<PipelineConfiguration, Int>?) throws -> PipelineConfiguration {
        var c = PipelineConfiguration()
        c.dataset = options.string("dataset")
        c.modalities = options.optionalList("modalities") ?? []
        if let r = options.optionalDoubleIfDeclared("labels") { c.labelFraction = r }
        c.objective = options.string("objective")
        if let primitives = options.optionalList("primitives") { c.primitives = primitives }
        c.seed = UInt64(options.int("seed"))
        for (name, path) in [("channels", \PipelineConfiguration.channels), ("length", \.length), ("cells", \.cells), ("steps", \.steps), ("batch-size", \.batchSize), ("encoder-epochs", \.encoderEpochs), ("search-epochs", \.searchEpochs), ("pretrain-epochs", \.pretrainEpochs), ("finetune-epochs", \.finetuneEpochs)] {
            if let value = options.optionalIntIfDeclared(name) { c[keyPath: path] = value }
        }
        if let d = options.optionalDoubleIfDeclared("dropout") { c.dropout = Float(d) }
        if let d = options.optionalDoubleIfDeclared("lr") { c.learningRate = Float(d) }
        if let d = options.optionalDoubleIfDeclared("arch-lr") { c.architectureLearningRate = Float(d) }
        if let d = options.optionalDoubleIfDeclared("temperature") { c.temperature = d }
        if let s = options.optionalStringIfDeclared("encoder-training") { c.encoderTraining = EncoderTraining(rawValue: s)! }
        if let s = options.optionalStringIfDeclared("fine-tuning") { c.fineTuning = FineTuning(rawValue: s)! }
        if options.specs.contains(where: { $0.name == "second-order" }) { c.secondOrder = options.flag("second-order") }
        if let d = options.optionalDoubleIfDeclared("beta-decay") {
            guard d >= 0, d.isFinite else { throw UsageError("--beta-decay expects a finite value >= 0, e.g. --beta-decay 1; got \(d)") }
            c.betaDecay = Float(d)
        }
        if let s = options.optionalStringIfDeclared("vector-levels") { c.vectorLevels = VectorLevels(rawValue: s)! }
        if let s = options.optionalStringIfDeclared("modality-coverage") { c.readsEveryModality = s == "every" }
        if let s = options.optionalStringIfDeclared("selection") { c.genotypeSelection = GenotypeSelection(rawValue: s)! }
        if let epochs, let n = options.optionalIntIfDeclared("epochs") { c[keyPath: epochs] = n }
        guard c.dropout >= 0 && c.dropout < 1 else {
            throw UsageError("--dropout expects a value in [0, 1), e.g. --dropout 0.1; got \(c.dropout)")
        }
        try MemoryBudget.requireNetworkFits(c)
        return c
    }
}

/// A Float setting as the Double its decimal form names (0.1, not 0.10000000149011612).
func decimal(_ value: Float) -> Double { Double(String(describing: value)) ?? Double(value) }

extension OptionValues {
    func declares(_ name: String) -> Bool { specs.contains { $0.name == name } }
    func optionalIntIfDeclared(_ name: String) -> Int? { declares(name) ? optionalInt(name) : nil }
    func optionalDoubleIfDeclared(_ name: String) -> Double? { declares(name) ? optionalDouble(name) : nil }
    func optionalStringIfDeclared(_ name: String) -> String? { declares(name) ? optionalString(name) : nil }
}
