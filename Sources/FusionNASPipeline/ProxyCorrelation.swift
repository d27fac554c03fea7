import BMNAS
import Foundation
import FusionNAS
import Tensors

/// One architecture of ``ProxyCorrelation``: its self-supervised scores and the accuracy supervised
/// training gives it, all on validation data (the test split is never read).
public struct ProxySample: Codable, Sendable, Equatable {
    public var sample: Int
    public var genotype: String
    /// Mean self-supervised loss on the validation split's inputs after self-supervised pretraining
    /// (lower is better; no label read).
    public var selfSupervisedLoss: Double
    /// Validation figure of a linear probe trained on the frozen pretrained representation with the
    /// `probeFraction` of the training labels.
    public var probeValidation: Double
    /// Validation figure after supervised training from scratch on every training label.
    public var supervisedValidation: Double
}

/// UnNAS's sample-based experiment (Liu et al., "Are Labels Necessary for Neural Architecture
/// Search?", ECCV 2020): architectures drawn uniformly from the space, each scored by the
/// self-supervised objective and by supervised training, and the rank correlation between the two.
/// A search driven by the self-supervised loss can only find good fusions where the correlation is
/// clearly positive.
public final class ProxyCorrelation {
    public let configuration: PipelineConfiguration
    public let registry: ComponentRegistry
    public let samples: Int
    /// Fraction of the training labels the linear probe reads.
    public let probeFraction: Double
    public var observer: (PipelineEvent) -> Void = { _ in }

    public init(configuration: PipelineConfiguration, registry: ComponentRegistry, samples: Int, probeFraction: Double) {
        self.configuration = configuration
        self.registry = registry
        self.samples = samples
        self.probeFraction = probeFraction
    }

    /// Scores `samples` random architectures drawn with the configuration's seed; `emit` receives
    /// each as soon as it is measured.
    ///
    /// - Parameter finished: samples already measured (a resumed run): their genotypes are drawn
    ///   again, so the later draws are unchanged, but they are not trained or emitted. Each sample's
    ///   training starts from the same stage seeds and fresh networks, so skipping the first ones
    ///   does not change the others.
    public func run(skipping finished: Int = 0, emit: (ProxySample) throws -> Void) throws {
        var full = configuration
        full.labelFraction = 1
        let supervised = FusionPipeline(configuration: full, registry: registry, data: try PreparedData.load(full), observer: observer)
        let probe = try supervised.atLabelFraction(probeFraction)
        var rng = SeededGenerator(seed: supervised.seed(.correlationArchitectures, .build))
        let encoders = try probe.selfSupervisedEncoders()
        let space = probe.searchSpaceConfiguration(encoders: encoders)
        for sample in 0..<samples {
            let genotype = ReferenceGenotypes.random(space, searchSpace: full.searchSpace, rng: &rng)
            if sample < finished { continue }
            let (network, objective) = try probe.selfSupervisedPretrainingWithObjective(genotype: genotype, encoders: encoders)
            let loss = try probe.heldOutSelfSupervisedLoss(network: network, objective: objective, indices: probe.data.split.validation)
            network.head = nil
            let threshold = try probe.fineTune(network: network, mode: .linearProbe, stage: .correlationProbe)
            let probeValidation = probe.evaluate(network: network, threshold: threshold, test: false).validation
            let fresh = try supervised.makeFreshNetwork(genotype: genotype, stage: .correlationSupervised)
            let supervisedThreshold = try supervised.fineTune(network: fresh, mode: .full, stage: .correlationSupervised)
            let supervisedValidation = supervised.evaluate(network: fresh, threshold: supervisedThreshold, test: false).validation
            try emit(ProxySample(
                sample: sample, genotype: genotype.description, selfSupervisedLoss: loss,
                probeValidation: probeValidation.value, supervisedValidation: supervisedValidation.value))
        }
    }
}
