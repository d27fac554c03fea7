/// How a search space is meant to be searched, unless the user says otherwise: a search space
/// that reproduces a paper brings that paper's schedule with it, so naming the space alone gives the
/// paper's behaviour, while options the user sets explicitly still win.
public struct SearchDefaults: Sendable, Equatable {
    /// The primitives searched over when none are named (`--primitives`); nil leaves the choice to
    /// the caller (the pipeline's list).
    public var primitives: [String]?
    /// Adam learning rate of the architecture parameters when `--arch-lr` is not given.
    public var architectureLearningRate: Float
    /// When the architecture is updated relative to the weights.
    public var alternation: SearchAlternation
    /// How the weights' learning rate changes over the search.
    public var weightSchedule: WeightSchedule
    /// Global gradient-norm clip of the weight step; nil for none.
    public var gradientClip: Float?
    /// How the genotype is read off the supernet when `--selection` is `auto`; nil leaves it to the
    /// caller's rule (the pipeline's: by objective).
    public var genotypeSelection: GenotypeSelection?

    public init(
        primitives: [String]? = nil, architectureLearningRate: Float, alternation: SearchAlternation,
        weightSchedule: WeightSchedule, gradientClip: Float?
    ) {
        self.primitives = primitives
        self.architectureLearningRate = architectureLearningRate
        self.alternation = alternation
        self.weightSchedule = weightSchedule
        self.gradientClip = gradientClip
    }

    /// This project's search: an architecture step after every weight batch, one cosine schedule
    /// over the whole search, clipping at 5 (DARTS), and an architecture learning rate of 3e-3, ten
    /// times BM-NAS's, because the embedded dataset gives a few hundred steps, over which 3e-4
    /// hardly moves the mixtures.
    public static let project = SearchDefaults(
        architectureLearningRate: 3e-3, alternation: .everyBatch, weightSchedule: .cosine, gradientClip: 5)
}

/// When a bilevel search updates the architecture.
public enum SearchAlternation: String, Sendable, Codable, CaseIterable {
    /// DARTS: an architecture step on a held-out batch after every weight step.
    case everyBatch = "every-batch"
    /// BM-NAS's code: a whole epoch of weight steps on the training split, then one architecture
    /// step per batch of the whole held-out split.
    case everyEpoch = "every-epoch"
}

/// The learning-rate schedule of the weights during a search.
public enum WeightSchedule: Sendable, Codable, Equatable {
    /// One cosine annealing from the learning rate to the minimum over the whole search.
    case cosine
    /// Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter 2017) as BM-NAS's
    /// `LRCosineAnnealingScheduler`: the first period lasts `firstPeriod` epochs, each next one
    /// `multiplier` times longer.
    case warmRestarts(firstPeriod: Int, multiplier: Int)
}
