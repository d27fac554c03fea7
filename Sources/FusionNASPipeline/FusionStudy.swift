import BMNAS
import Foundation
import FusionNAS
import MultimodalData
import Tensors

/// Where a study arm's architecture comes from.
public enum StudyArchitecture: String, CaseIterable, Sendable, Codable {
    /// Found by the self-supervised search (no labels).
    case sslSearch = "ssl-search"
    /// Found by the supervised search (BM-NAS's objective) on the r labelled samples.
    case supervisedSearch = "supervised-search"
    /// Found by the supervised search on every training label.
    case fullLabelSearch = "full-label-search"
    /// Drawn uniformly from the same space (several draws per seed).
    case random
    /// A fixed hand-made genotype: `concat_fc` of each modality's top level (``ReferenceGenotypes/lateFusion(_:primitive:)``).
    case lateFusion = "late-fusion"
    /// No network: logistic regression on the standardised views (``LinearBaseline``).
    case linear
}

/// How a study arm's network is initialised before fine-tuning on the r labels.
public enum StudyWeights: String, CaseIterable, Sendable, Codable {
    /// Pretrained with the self-supervised objective on all unlabelled training inputs.
    case sslPretrained = "ssl-pretrained"
    /// Fresh weights.
    case scratch
}

/// One trained and evaluated arm: an architecture, its weights, a label fraction, a seed.
public struct StudyRow: Codable, Sendable, Equatable {
    public var architecture: String
    /// A ``StudyWeights`` raw value, or `none` for the linear baseline.
    public var weights: String
    public var fraction: Double
    public var seed: UInt64
    /// The random draw's number (random architectures only).
    public var draw: Int?
    public var metric: String
    /// Test figure.
    public var value: Double
    /// The figure on the labelled validation subset that selected the epoch (and threshold).
    public var validationValue: Double
    public var genotype: String
    /// The labelled training indices: the same in every arm for a given fraction and seed.
    public var labelledTrain: [Int]

    public init(
        architecture: String, weights: String, fraction: Double, seed: UInt64, draw: Int?, metric: String,
        value: Double, validationValue: Double, genotype: String, labelledTrain: [Int]
    ) {
        self.architecture = architecture
        self.weights = weights
        self.fraction = fraction
        self.seed = seed
        self.draw = draw
        self.metric = metric
        self.value = value
        self.validationValue = validationValue
        self.genotype = genotype
        self.labelledTrain = labelledTrain
    }
}

/// Networks that differ only in one factor, the architecture's origin or the weights' start, for
/// every label fraction and seed (`fusion-nas study`).
///
/// Every arm of a (fraction, seed) uses the same data, the same labelled training and validation
/// indices, the same fine-tuning mode, epochs, learning rate and stage seed, and selects its epoch
/// on the same labelled validation subset; only the genotype or the starting weights change. Work
/// that reads no label (the self-supervised search, random draws, pretraining) and the full-label
/// search are done once per seed and shared by every fraction.
public final class FusionStudy {
    public let configuration: PipelineConfiguration
    public let registry: ComponentRegistry
    public let architectures: [StudyArchitecture]
    public let weights: [StudyWeights]
    public let fractions: [Double]
    /// Random genotypes per seed.
    public let randomDraws: Int
    public var observer: (PipelineEvent) -> Void = { _ in }

    public init(
        configuration: PipelineConfiguration, registry: ComponentRegistry, architectures: [StudyArchitecture],
        weights: [StudyWeights], fractions: [Double], randomDraws: Int
    ) {
        self.configuration = configuration
        self.registry = registry
        self.architectures = architectures
        self.weights = weights
        self.fractions = fractions
        self.randomDraws = randomDraws
    }

    /// Rows one seed writes when it completes: every candidate with every start at every
    /// fraction, plus the linear baseline's. A resumed study keeps a seed only if it has them all.
    public var rowsPerSeed: Int {
        let networks = architectures.reduce(0) { count, architecture in
            switch architecture {
            case .random: count + randomDraws
            case .linear: count
            default: count + 1
            }
        }
        return fractions.count * (networks * weights.count + (architectures.contains(.linear) ? 1 : 0))
    }

    struct Candidate {
        let architecture: StudyArchitecture
        let draw: Int?
        let genotype: Genotype
        /// The self-supervised pretrained network, restored before each fine-tuning.
        var pretrained: PretrainedNetwork?
    }

    /// Runs every arm for one seed; `emit` receives each row as soon as it is measured.
    public func run(seed: UInt64, emit: (StudyRow) throws -> Void) throws {
        var base = configuration
        base.seed = seed
        base.labelFraction = 1
        let unlabelled = FusionPipeline(
            configuration: base, registry: registry, data: try PreparedData.load(base), observer: observer)
        let encoders = try unlabelled.selfSupervisedEncoders()
        let space = unlabelled.searchSpaceConfiguration(encoders: encoders)
        var perSeed: [Candidate] = []
        for architecture in architectures {
            switch architecture {
            case .sslSearch:
                let genotype = try unlabelled.selfSupervisedSearch(encoders: encoders).genotype
                perSeed.append(Candidate(architecture: architecture, draw: nil, genotype: genotype))
            case .fullLabelSearch:
                // At fraction 1 the supervised search reads every training label.
                let genotype = try unlabelled.supervisedSearch().genotype
                perSeed.append(Candidate(architecture: architecture, draw: nil, genotype: genotype))
            case .random:
                var rng = SeededGenerator(seed: unlabelled.seed(.studyRandomArchitectures, .build))
                for draw in 0..<randomDraws {
                    perSeed.append(Candidate(
                        architecture: architecture, draw: draw, genotype: ReferenceGenotypes.random(space, searchSpace: base.searchSpace, rng: &rng)))
                }
            case .lateFusion:
                perSeed.append(Candidate(architecture: architecture, draw: nil, genotype: ReferenceGenotypes.lateFusion(space, searchSpace: base.searchSpace)))
            case .supervisedSearch, .linear:
                break
            }
        }
        if weights.contains(.sslPretrained) {
            for i in perSeed.indices { perSeed[i].pretrained = try pretrain(perSeed[i].genotype, unlabelled, encoders) }
        }
        for fraction in fractions {
            let pipeline = try unlabelled.atLabelFraction(fraction)
            let configuration = pipeline.configuration
            var candidates = perSeed
            if architectures.contains(.supervisedSearch) {
                let genotype = try pipeline.supervisedSearch().genotype
                var candidate = Candidate(architecture: .supervisedSearch, draw: nil, genotype: genotype)
                if weights.contains(.sslPretrained) { candidate.pretrained = try pretrain(genotype, unlabelled, encoders) }
                candidates.append(candidate)
            }
            let row = { (architecture: String, weights: String, draw: Int?, genotype: String, validation: EvaluationResult, test: EvaluationResult) in
                StudyRow(
                    architecture: architecture, weights: weights, fraction: fraction, seed: seed, draw: draw,
                    metric: test.metric, value: test.value, validationValue: validation.value, genotype: genotype,
                    labelledTrain: pipeline.data.labelledTrain)
            }
            for candidate in candidates.sorted(by: { order($0) < order($1) }) {
                for start in weights {
                    let network = try startingNetwork(candidate, start, pipeline)
                    let (validation, test) = try pipeline.fineTuneAndEvaluate(
                        network, mode: configuration.fineTuning, stage: .studyFineTuning)
                    try emit(row(candidate.architecture.rawValue, start.rawValue, candidate.draw, candidate.genotype.description, validation, test))
                }
            }
            if architectures.contains(.linear) {
                let (validation, test) = LinearBaseline.fit(
                    data: pipeline.data, epochs: configuration.finetuneEpochs, seed: pipeline.seed(.studyLinearBaseline, .training))
                try emit(row(StudyArchitecture.linear.rawValue, "none", nil, "", validation, test))
            }
        }
    }

    /// Rows come out in the order the architectures were asked for, draws in order.
    private func order(_ candidate: Candidate) -> (Int, Int) {
        (architectures.firstIndex(of: candidate.architecture) ?? 0, candidate.draw ?? 0)
    }

    private func pretrain(
        _ genotype: Genotype, _ unlabelled: FusionPipeline, _ encoders: [any ModalityEncoder]
    ) throws -> PretrainedNetwork {
        PretrainedNetwork(
            genotype: genotype, network: try unlabelled.selfSupervisedPretraining(genotype: genotype, encoders: encoders))
    }

    /// The network an arm fine-tunes: the pretrained one restored to its pretrained weights, or a
    /// fresh one built from the same stage seed in every arm.
    private func startingNetwork(
        _ candidate: Candidate, _ start: StudyWeights, _ pipeline: FusionPipeline
    ) throws -> MultimodalNetwork {
        switch start {
        case .sslPretrained:
            // Every candidate is pretrained when the study's weights include ssl-pretrained.
            guard let pretrained = candidate.pretrained else {
                preconditionFailure("FusionStudy: \(candidate.architecture.rawValue) was not pretrained")
            }
            return pretrained.restore()
        case .scratch:
            return try pipeline.makeFreshNetwork(genotype: candidate.genotype, stage: .studyFineTuning)
        }
    }
}
