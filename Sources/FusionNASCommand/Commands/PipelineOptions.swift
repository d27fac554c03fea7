import BMNAS
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
    static let lr = OptionSpec(name: "lr", kind: .double(positive: true, example: "0.001"), default: .double(decimal(defaults.learningRate)), help: "Adam learning rate of the weights (cosine annealed; in a bmnas search, with warm restarts as BM-NAS).")
    static let archLR = OptionSpec(name: "arch-lr", kind: .double(positive: true, example: "0.003"), defaultDescription: "the search space's: fusionnas 0.003, bmnas 0.0003 (BM-NAS)", help: "Adam learning rate of the architecture parameters.")
    static let temperature = OptionSpec(name: "temperature", kind: .double(above: ContrastiveValidation.minimumTemperature, example: "0.2"), default: .double(defaults.temperature), help: "Temperature of the contrastive objective (above \(ContrastiveValidation.minimumTemperature), the objectives' bound).")
    static let searchEpochs = OptionSpec(name: "search-epochs", kind: .int(minimum: 1), default: .int(defaults.searchEpochs), help: "Epochs of the architecture search (run and sweep; search uses --epochs).")
    static let pretrainEpochs = OptionSpec(name: "pretrain-epochs", kind: .int(minimum: 1), default: .int(defaults.pretrainEpochs), help: "Epochs of self-supervised pretraining of the found network.")
    static let finetuneEpochs = OptionSpec(name: "finetune-epochs", kind: .int(minimum: 1), default: .int(defaults.finetuneEpochs), help: "Epochs of fine-tuning (and of the supervised baseline's training).")
    static let encoderEpochs = OptionSpec(name: "encoder-epochs", kind: .int(minimum: 1), default: .int(defaults.encoderEpochs), help: "Epochs of unimodal self-supervised encoder pretraining.")
    static let encoderTraining = OptionSpec(name: "encoder-training", kind: .choice(EncoderTraining.allCases.map(\.rawValue)), default: .string(defaults.encoderTraining.rawValue), help: "Encoders without a backbone: pretrained alone without labels then frozen, or trained jointly.")
    static let fineTuning = OptionSpec(name: "fine-tuning", kind: .choice(FineTuning.allCases.map(\.rawValue)), default: .string(defaults.fineTuning.rawValue), help: "Fine-tune every parameter, only a linear probe, or a linear probe for half the epochs and then every parameter (LP-FT).")
    static let scratchFallback = OptionSpec(name: "scratch-fallback", kind: .choice(["on", "off"]), default: .string(defaults.scratchFallback ? "on" : "off"), help: "Also train the self-supervised genotype from scratch on the same labels and report it when it beats the fine-tuned network on validation (run and sweep).")
    static let secondOrder = OptionSpec(name: "second-order", kind: .flag, help: "Second-order DARTS (unrolled step, finite-difference Hessian-vector product).")
    static let betaDecay = OptionSpec(name: "beta-decay", kind: .double(example: "1"), default: .double(decimal(defaults.betaDecay)), help: "β-DARTS Beta-Decay weight on the architecture parameters, ramped linearly to this value over the search (0: off).")
    static let selection = OptionSpec(name: "selection", kind: .choice(["auto"] + GenotypeSelection.allCases.map(\.rawValue)), default: .string(defaults.genotypeSelection?.rawValue ?? "auto"), help: "How the genotype is read off the supernet: the largest architecture weight (argmax, DARTS), the option whose removal hurts the held-out loss most (perturbation, DARTS-PT), or auto: the search space's choice (bmnas: argmax, as BM-NAS), else perturbation for supervised searches and argmax for self-supervised ones (chosen on validation).")
    static let modalityCoverage = OptionSpec(name: "modality-coverage", kind: .choice(["auto", "every", "any"]), default: .string(defaults.readsEveryModality.map { $0 ? "every" : "any" } ?? "auto"), help: "Whether the derived genotype must read every modality (every), or may drop one that the search weighted low (any); auto: every for self-supervised searches, any for supervised ones (chosen on validation).")
    static let alternation = OptionSpec(name: "alternation", kind: .choice(SearchAlternation.allCases.map(\.rawValue)), defaultDescription: "the search space's: fusionnas every-batch, bmnas every-epoch (BM-NAS)", help: "When the search updates the architecture: a step on a held-out batch after every weight batch (DARTS), or a whole weight epoch and then one step per held-out batch (BM-NAS's code).")
    static let weightSchedule = OptionSpec(name: "weight-schedule", kind: .choice(["cosine", "warm-restarts"]), defaultDescription: "the search space's: fusionnas cosine, bmnas warm-restarts (BM-NAS)", help: "The weights' learning-rate schedule in a search: one cosine annealing over the search, or BM-NAS's SGDR warm restarts (first period 1 epoch, each next one twice as long).")
    static let gradientClip = OptionSpec(name: "gradient-clip", kind: gradientClipKind, defaultDescription: "the search space's: fusionnas 5, bmnas none (BM-NAS)", help: "Global norm the search clips the weights' gradient to (DARTS: 5), or none.")
    static let inputPooling = OptionSpec(name: "input-pooling", kind: .choice(InputPooling.allCases.map(\.rawValue)), defaultDescription: "fusionnas's: average; a found network: its genotype's", help: "fusionnas space: how an input node is pooled to L: adaptive average pooling of the flattened map, no dropout (fusionnas), or BM-NAS's adaptive max pooling of the 2-D map to √L x √L then dropout. Recorded in the genotype.")
    static let cellOutput = OptionSpec(name: "cell-output", kind: .choice(CellOutput.allCases.map(\.rawValue)), defaultDescription: "fusionnas's: per-step; a found network: its genotype's", help: "fusionnas space: how a cell ends: LayerNorm(step + first operand) after every step (per-step, fusionnas), or BM-NAS's steps concatenated, conv + BatchNorm + ReLU + dropout for several steps, + the cell's first input, one LayerNorm (reference). Recorded in the genotype.")
    static let searchSpace = OptionSpec(name: "search-space", kind: .string(placeholder: "NAME", example: "bmnas"), default: .string(defaults.searchSpace), help: "Search space, by registered name (built in: fusionnas, this project's; bmnas, BM-NAS's reference code, with its search schedule; `fusion-nas plugins list` shows a plugin's).")
    static let augmentations = OptionSpec(name: "augmentations", kind: .list(placeholder: "NAME[:OPTION=X...],...", example: "gaussian_noise:std=0.05,feature_mask"), defaultDescription: "crop_flip:flip_probability=0,gaussian_noise,feature_mask", help: "Augmentations of the contrastive views, by registered name with options, in order (built in: gaussian_noise, feature_mask, crop_flip, modality_drop, mixing; plugins add theirs).")
    static let encoders = OptionSpec(name: "encoders", kind: .list(placeholder: "MODALITY=NAME,...", example: "pix=cnn"), defaultDescription: "by the manifest's `encoder`, else by the modality's kind", help: "Encoders by registered name for some modalities (built in: mlp, cnn, conv1d, precomputed; plugins add theirs).")
    /// The search options every command that searches declares.
    static let search: [OptionSpec] = [searchSpace, secondOrder, betaDecay, selection, modalityCoverage, alternation, weightSchedule, gradientClip]

    /// The model and optimisation options shared by search, pretrain, finetune, run and sweep.
    static let model: [OptionSpec] = [channels, length, cells, steps, dropout, vectorLevels, inputPooling, cellOutput, encoders, augmentations, batchSize, lr, archLR, temperature, encoderTraining, encoderEpochs]

    static let dataset = OptionSpec(
        name: "dataset", kind: .string(placeholder: "NAME|PATH", example: "uci-mfeat"), default: .string(defaults.dataset),
        help: "Built-in dataset (\(BuiltInDatasets.descriptions.map(\.0).joined(separator: ", "))), a manifest .json, or an MM-IMDB .hdf5.")
    static let modalities = OptionSpec(
        name: "modalities", kind: .list(placeholder: "a,b,...", example: "pix,fou"),
        defaultDescription: "the dataset's default (uci-mfeat: pix,fou; others: all)", help: "Modalities to use, by name (two or more).")
    static let labels = OptionSpec(
        name: "labels", kind: .fraction, default: .double(defaults.labelFraction),
        help: "Fraction of training labels used for fine-tuning.")
    static let objective = OptionSpec(
        name: "objective", kind: .string(placeholder: "NAME", example: "ntxent"), default: .string(defaults.objective),
        help: "Self-supervised objective, by registered name (built in: ntxent, clip; `fusion-nas plugins list` shows all).")
    static let primitives = OptionSpec(
        name: "primitives", kind: .primitiveList(example: "sum,concat_fc,low_rank_tensor"),
        defaultDescription: "the search space's: fusionnas \(BMNASComponents.projectPrimitives.joined(separator: ",")); bmnas \(BMNASComponents.referencePrimitives.joined(separator: ","))",
        help: "Fusion primitives the search chooses from, by registered name.")

    /// Plugins named in a configuration file: `{"plugins": ["libmine.so"]}` (relative to the file).
    static let plugins = OptionSpec(
        name: "plugins", kind: .list(placeholder: "PATH,...", example: "libmine.so"), defaultDescription: "none",
        help: "Plugin libraries as a list, mainly for --config files; relative paths are relative to the configuration file.")

    /// The shared options with this project's defaults.
    static let common: [OptionSpec] = [
        dataset, modalities, labels, objective, primitives,
        CommonOptions.seed, CommonOptions.threads, CommonOptions.out, CommonOptions.resume, CommonOptions.plugin,
        plugins, CommonOptions.config, CommonOptions.quiet, CommonOptions.verbose,
    ]

    /// `--epochs`: each command that declares it says which stage's epochs it stands for (its
    /// `epochs` argument to ``configuration(_:epochs:)``), and gives its own default and help.
    static func epochs(default value: Int? = nil, help: String) -> OptionSpec {
        value.map { OptionSpec(name: epochsName, kind: .int(minimum: 1), default: .int($0), help: help) }
            ?? OptionSpec(name: epochsName, kind: .int(minimum: 1), defaultDescription: "--search-epochs", help: help)
    }
    private static let epochsName = "epochs"

    /// An option that sets part of the pipeline configuration, and how: read through its spec, so
    /// that a declared option cannot be looked up under a misspelt name.
    struct Setting: Sendable {
        let spec: OptionSpec
        let apply: @Sendable (OptionValues, inout PipelineConfiguration) -> Void
    }

    /// Every option that sets the configuration; ``configuration(_:epochs:)`` applies those the
    /// command declares. `PipelineOptionsTests` fails for a declared option that is in neither this
    /// list nor the options the commands read themselves.
    static let settings: [Setting] = [
        Setting(spec: dataset) { $1.dataset = $0.string(dataset) },
        Setting(spec: modalities) { $1.modalities = $0.optionalList(modalities) ?? [] },
        Setting(spec: labels) { $1.labelFraction = $0.double(labels) },
        Setting(spec: objective) { $1.objective = $0.string(objective) },
        Setting(spec: primitives) { values, c in if let list = values.optionalList(primitives) { c.primitives = list } },
        Setting(spec: CommonOptions.seed) { $1.seed = UInt64($0.int(CommonOptions.seed)) },
        Setting(spec: channels) { $1.channels = $0.int(channels) },
        Setting(spec: length) { $1.length = $0.int(length) },
        Setting(spec: cells) { $1.cells = $0.int(cells) },
        Setting(spec: steps) { $1.steps = $0.int(steps) },
        Setting(spec: dropout) { $1.dropout = Float($0.double(dropout)) },
        Setting(spec: batchSize) { $1.batchSize = $0.int(batchSize) },
        Setting(spec: lr) { $1.learningRate = Float($0.double(lr)) },
        Setting(spec: archLR) { values, c in if let rate = values.optionalDouble(archLR) { c.architectureLearningRate = Float(rate) } },
        Setting(spec: temperature) { $1.temperature = $0.double(temperature) },
        Setting(spec: encoderEpochs) { $1.encoderEpochs = $0.int(encoderEpochs) },
        Setting(spec: searchEpochs) { $1.searchEpochs = $0.int(searchEpochs) },
        Setting(spec: pretrainEpochs) { $1.pretrainEpochs = $0.int(pretrainEpochs) },
        Setting(spec: finetuneEpochs) { $1.finetuneEpochs = $0.int(finetuneEpochs) },
        // The choice kinds refuse any other value, so the raw values always name a case.
        Setting(spec: encoderTraining) { $1.encoderTraining = EncoderTraining(rawValue: $0.string(encoderTraining))! },
        Setting(spec: fineTuning) { $1.fineTuning = FineTuning(rawValue: $0.string(fineTuning))! },
        Setting(spec: searchSpace) { $1.searchSpace = $0.string(searchSpace) },
        Setting(spec: secondOrder) { $1.secondOrder = $0.flag(secondOrder) },
        Setting(spec: scratchFallback) { $1.scratchFallback = $0.string(scratchFallback) == "on" },
        Setting(spec: betaDecay) { $1.betaDecay = Float($0.double(betaDecay)) },
        // "auto" is the one value that names no case: the choice by objective.
        Setting(spec: selection) { $1.genotypeSelection = GenotypeSelection(rawValue: $0.string(selection)) },
        Setting(spec: modalityCoverage) { values, c in
            let choice = values.string(modalityCoverage)
            c.readsEveryModality = choice == "auto" ? nil : choice == "every"
        },
        Setting(spec: vectorLevels) { $1.vectorLevels = VectorLevels(rawValue: $0.string(vectorLevels))! },
        // The choice kinds refuse any other value; absent, the space's (or the genotype's) choice.
        Setting(spec: alternation) { values, c in c.searchAlternation = values.optionalString(alternation).flatMap(SearchAlternation.init(rawValue:)) },
        Setting(spec: weightSchedule) { values, c in
            c.weightSchedule = values.optionalString(weightSchedule).map { $0 == "cosine" ? .cosine : BMNASReferenceSearchSpace.weightSchedule }
        },
        Setting(spec: gradientClip) { values, c in
            switch values.value(gradientClip.name) {
            case .double(let norm): c.gradientClip = .maximumNorm(Float(norm))
            case .string: c.gradientClip = .off
            default: c.gradientClip = nil
            }
        },
        Setting(spec: inputPooling) { values, c in c.inputPooling = values.optionalString(inputPooling).flatMap(InputPooling.init(rawValue:)) },
        Setting(spec: cellOutput) { values, c in c.cellOutput = values.optionalString(cellOutput).flatMap(CellOutput.init(rawValue:)) },
    ]

    /// `--gradient-clip`: a norm > 0, or `none` (no clipping, as BM-NAS).
    static let gradientClipKind = OptionKind(placeholder: "X|none", expectation: "a number > 0 or none", example: "5") { text in
        if text == "none" { return .string(text) }
        guard let value = Double(text), value.isFinite, value > 0 else { return nil }
        return .double(value)
    }

    /// The pipeline configuration the options describe; `epochs` names the setting that
    /// `--epochs` stands for in this command (nil where it declares no `--epochs`).
    static func configuration(_ options: OptionValues, epochs: WritableKeyPath<PipelineConfiguration, Int>?) throws -> PipelineConfiguration {
        var c = PipelineConfiguration()
        for setting in settings where options.declares(setting.spec) { setting.apply(options, &c) }
        // After the stage's own option: the shorthand, when given, wins.
        if let epochs, options.declares(epochsName), let n = options.optionalInt(epochsName) { c[keyPath: epochs] = n }
        guard c.dropout >= 0 && c.dropout < 1 else {
            throw UsageError("--dropout expects a value in [0, 1), e.g. --dropout 0.1; got \(c.dropout)")
        }
        if options.declares(encoders), let choices = options.optionalList(encoders) {
            c.encoders = try encoderChoices(choices)
        }
        if options.declares(augmentations), let items = options.optionalList(augmentations) {
            c.augmentations = try augmentationChoices(items)
        }
        guard c.betaDecay >= 0 && c.betaDecay.isFinite else {
            throw UsageError("--beta-decay expects a finite value >= 0, e.g. --beta-decay 1; got \(c.betaDecay)")
        }
        let chosen = c.inputPooling != nil || c.cellOutput != nil
        if let refusal = FusionNASSearchSpace.structureSwitchRefusal(chosen: chosen, space: c.searchSpace) {
            throw UsageError(refusal)
        }
        try MemoryBudget.requireNetworkFits(c)
        return c
    }
}

extension PipelineOptions {
    /// `--augmentations gaussian_noise:std=0.05,feature_mask` as choices, refusing an option that is
    /// not `NAME=NUMBER`.
    static func augmentationChoices(_ items: [String]) throws -> [AugmentationChoice] {
        try items.map { item in
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard let name = parts.first, !name.isEmpty else {
                throw UsageError("--augmentations expects NAME[:OPTION=X...] items, e.g. --augmentations gaussian_noise:std=0.05; got '\(item)'")
            }
            var options: [String: Double] = [:]
            for option in parts.dropFirst() {
                let pair = option.split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2, !pair[0].isEmpty, let value = Double(pair[1]), value.isFinite else {
                    throw UsageError("--augmentations: '\(option)' in '\(item)' is not OPTION=NUMBER, e.g. std=0.05")
                }
                options[pair[0]] = value
            }
            return AugmentationChoice(name: name, options: options)
        }
    }

    /// `--encoders pix=cnn,fou=mine` as a map, refusing an item without `=` or a modality named twice.
    static func encoderChoices(_ items: [String]) throws -> [String: String] {
        var choices: [String: String] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw UsageError("--encoders expects MODALITY=NAME items, e.g. --encoders pix=cnn,fou=mlp; got '\(item)'")
            }
            guard choices.updateValue(parts[1], forKey: parts[0]) == nil else {
                throw UsageError("--encoders names modality '\(parts[0])' twice")
            }
        }
        return choices
    }
}

/// A Float setting as the Double its decimal form names (0.1, not 0.10000000149011612).
func decimal(_ value: Float) -> Double { Double(String(describing: value)) ?? Double(value) }

extension OptionValues {
    func declares(_ name: String) -> Bool { specs.contains { $0.name == name } }
    func declares(_ spec: OptionSpec) -> Bool { declares(spec.name) }

    // Typed reads through a declared spec rather than its name as a literal.
    func int(_ spec: OptionSpec) -> Int { int(spec.name) }
    func double(_ spec: OptionSpec) -> Double { double(spec.name) }
    func string(_ spec: OptionSpec) -> String { string(spec.name) }
    func flag(_ spec: OptionSpec) -> Bool { flag(spec.name) }
    func optionalList(_ spec: OptionSpec) -> [String]? { optionalList(spec.name) }
    func optionalDouble(_ spec: OptionSpec) -> Double? { optionalDouble(spec.name) }
    func optionalString(_ spec: OptionSpec) -> String? { optionalString(spec.name) }
}
