import BMNAS
import FusionNAS

/// How encoders without a pretrained backbone are trained in the self-supervised pipeline.
public enum EncoderTraining: String, Sendable, Codable, CaseIterable {
    /// First trained alone with a unimodal contrastive loss (no labels), then frozen for search and
    /// pretraining; unfrozen again by full fine-tuning.
    case pretrainedFrozen = "pretrained-frozen"
    /// Trained jointly with the fusion network in every stage.
    case joint
}

/// One augmentation of the contrastive views: a registered name and its options.
public struct AugmentationChoice: Sendable, Codable, Equatable {
    public var name: String
    public var options: [String: Double]

    public init(name: String, options: [String: Double] = [:]) {
        self.name = name
        self.options = options
    }
}

/// What fine-tuning updates.
public enum FineTuning: String, Sendable, Codable, CaseIterable {
    /// Every parameter (encoders included).
    case full
    /// Only a linear classifier on the frozen representation.
    case linearProbe = "linear-probe"
    /// A linear probe for the first half of the epochs, then every parameter (LP-FT, Kumar et al.
    /// 2022): the head starts from a fit to the pretrained features, so full fine-tuning distorts
    /// them less.
    case probeThenFull = "probe-then-full"
}

/// Every setting of the pipeline, with the defaults the README's main command uses.
///
/// BM-NAS's MM-IMDB values (C 192, L 16, 2 cells, 1 step, batch 96, 12 epochs) are the documented
/// reference for large data; the defaults here are sized for the embedded dataset on 2 cores.
public struct PipelineConfiguration: Sendable, Codable, Equatable {
    /// A built-in dataset name (`uci-mfeat`), a manifest path, or an MM-IMDB `.hdf5` path.
    public var dataset = "uci-mfeat"
    /// Modalities to use; empty means the dataset's default (for `uci-mfeat`: pix and fou).
    public var modalities: [String] = []
    /// Fraction r of the training labels used for fine-tuning and by the supervised baseline.
    public var labelFraction = 0.1
    /// The self-supervised objective's registry name.
    public var objective = "ntxent"
    /// Temperature of contrastive objectives. 0.5 validated higher than SimCLR's 0.2 (and 0.1) with
    /// `ntxent` on three datasets (Docs/results.md, "How the defaults were chosen"); `clip` was not
    /// measured and gets the same value.
    public var temperature = 0.5
    /// The search space's registry name: `fusionnas` (this project's variant) or `bmnas` (BM-NAS's
    /// reference code); see Docs/search-spaces.md.
    public var searchSpace = FusionNASSearchSpace.name
    /// The augmentations that make the contrastive views, by registered name with options, in
    /// order; nil is `AugmentationPipeline.default`.
    public var augmentations: [AugmentationChoice]? = nil
    /// Encoders chosen by name for some modalities (modality name -> registered encoder), over the
    /// dataset's choice (its manifest's `encoder`, else by the modality's kind).
    public var encoders: [String: String] = [:]
    /// Primitives to search over (registry names); nil takes the search space's
    /// (``SearchDefaults/primitives``), or ``BMNASComponents/projectPrimitives`` for a space that
    /// names none.
    public var primitives: [String]? = nil
    public var channels = 32
    public var length = 8
    public var cells = 2
    public var steps = 1
    public var dropout: Float = 0.1
    /// How vector feature levels are spread over L.
    public var vectorLevels = VectorLevels.repeat
    /// Whether a derived genotype must read every modality (``SearchSpaceConfiguration/readsEveryModality``);
    /// nil chooses by objective, as measured on validation (Docs/results.md): required for
    /// self-supervised searches (on smartwatch-imu the search dropped the accelerometer on 4 of 5
    /// seeds; requiring it raised validation accuracy from 0.720 and 0.702 to 0.818 and 0.801 on the
    /// two such seeds measured; pix + fou genotypes are unchanged), not for supervised ones, where
    /// it was not measured.
    public var readsEveryModality: Bool? = nil

    /// Whether a search with or without labels must read every modality.
    public func readsEveryModality(readsLabels: Bool) -> Bool { readsEveryModality ?? !readsLabels }
    /// Feature levels per encoder and their width.
    public var encoderLevels = 2
    public var encoderWidth = 64
    public var encoderTraining = EncoderTraining.joint
    public var encoderEpochs = 15
    public var searchEpochs = 10
    public var pretrainEpochs = 100
    public var finetuneEpochs = 100
    public var fineTuning = FineTuning.probeThenFull
    /// Whether the self-supervised pipeline also trains its genotype from scratch on the same labels
    /// and reports that network when it scores higher on validation, so that fine-tuning is never
    /// worse than not pretraining (judged on validation, never test).
    public var scratchFallback = true
    public var batchSize = 64
    public var learningRate: Float = 1e-3
    /// Adam learning rate of the architecture parameters; nil takes the search space's
    /// (``SearchDefaults/architectureLearningRate``: `fusionnas` 3e-3, `bmnas` BM-NAS's 3e-4).
    public var architectureLearningRate: Float? = nil
    /// When the architecture is updated; nil takes the search space's
    /// (``SearchDefaults/alternation``: `fusionnas` after every weight batch, `bmnas` after every
    /// weight epoch).
    public var searchAlternation: SearchAlternation? = nil
    /// The weights' learning-rate schedule in a search; nil takes the search space's
    /// (``SearchDefaults/weightSchedule``: `fusionnas` one cosine, `bmnas` SGDR warm restarts).
    public var weightSchedule: WeightSchedule? = nil
    /// The search's weight-gradient clipping; nil takes the search space's
    /// (``SearchDefaults/gradientClip``: `fusionnas` 5, `bmnas` none).
    public var gradientClip: GradientClipping? = nil
    /// The `fusionnas` space's input pooling (``NetworkStructure``); nil: the space's for a search,
    /// the genotype's for a found network.
    public var inputPooling: InputPooling? = nil
    /// The `fusionnas` space's cell output (``NetworkStructure``); nil as ``inputPooling``.
    public var cellOutput: CellOutput? = nil
    /// Second-order DARTS instead of first order.
    public var secondOrder = false
    /// β-DARTS's Beta-Decay weight on the architecture parameters (``SearchSettings/betaDecay``); 0 is off.
    public var betaDecay: Float = 0
    /// How the search reads its genotype off the supernet; nil chooses by objective, as measured on
    /// validation (Docs/results.md): DARTS-PT's perturbation for supervised searches (same validation
    /// accuracy on uci-mfeat, the planted pair found on 3 of 3 seeds against 1 of 3), the largest weight
    /// for self-supervised ones (perturbation picked fou-only genotypes on uci-mfeat: validation
    /// accuracy 0.733 against 0.947 at 10 % labels).
    public var genotypeSelection: GenotypeSelection? = nil

    /// The selection a search with or without labels uses.
    public func genotypeSelection(readsLabels: Bool) -> GenotypeSelection {
        genotypeSelection ?? (readsLabels ? .perturbation : .argmax)
    }
    public var seed: UInt64 = 0

    public init() {}
}
