@testable import BMNAS
import Contrastive
import Foundation
@testable import FusionNAS
import FusionNASPipeline
import Layers
import MultimodalData
import TestSupport
import Testing
import Tensors

/// The second-order architecture gradient, Beta-Decay and perturbation-based selection.
@Suite struct SearchRemedyTests {
    /// A bilevel problem with a known hypergradient:
    /// L_train(w, α) = ½‖w - Aα‖², L_val(w, α) = ½‖w - b‖² + ½c‖α‖².
    /// With w' = w - ξ(w - Aα), d/dα L_val(w'(α), α) = cα + ξ Aᵀ(w' - b), which DARTS's finite
    /// difference reproduces exactly for a quadratic (up to float rounding).
    @Test func secondOrderGradientMatchesTheAnalyticHypergradientOfAQuadratic() throws {
        let n = 5, m = 3
        var rng = SeededGenerator(seed: 7)
        let a = Tensor.randn([n, m], rng: &rng)
        let b = Tensor.randn([n], rng: &rng)
        let c: Float = 0.3, xi: Float = 0.4
        let w = Tensor.randn([n], rng: &rng).requiringGrad()
        let alpha = Tensor.randn([m], rng: &rng).requiringGrad()
        func trainingLoss() -> Tensor {
            let r = w - a.matmul(alpha.reshaped([m, 1])).reshaped([n])
            return (r * r).sum() * 0.5
        }
        // The weight step's gradient, as the search has it when the architecture step starts.
        trainingLoss().backward()
        let trainingGradient = w.grad!.copy()
        let before = w.values
        SecondOrderArchitectureGradient.apply(
            weights: [w], architecture: [alpha], trainingGradients: [trainingGradient], xi: xi,
            heldOutLoss: {
                let r = w - b
                let loss = (r * r).sum() * 0.5 + (alpha * alpha).sum() * (0.5 * c)
                loss.backward()
                return Double(loss.item)
            },
            trainingLoss: { trainingLoss().backward() })
        #expect(w.values == before, "the weights must be restored")

        let av = a.values, bv = b.values, wv = before, al = alpha.values
        let aAlpha = (0..<n).map { i in (0..<m).reduce(Float(0)) { $0 + av[i * m + $1] * al[$1] } }
        let unrolled = (0..<n).map { wv[$0] - xi * (wv[$0] - aAlpha[$0]) }
        let analytic = (0..<m).map { j in
            c * al[j] + xi * (0..<n).reduce(Float(0)) { $0 + av[$1 * m + j] * (unrolled[$1] - bv[$1]) }
        }
        let computed = alpha.grad!.values
        let firstOrder = (0..<m).map { c * al[$0] }
        for j in 0..<m {
            #expect(abs(computed[j] - analytic[j]) <= 0.01 * abs(analytic[j]) + 1e-5, "α[\(j)]: \(computed) vs analytic \(analytic)")
        }
        // The implicit term matters here, so a first-order gradient would fail the check above.
        #expect(zip(firstOrder, analytic).contains { abs($0 - $1) > 0.05 * abs($1) })
    }

    /// The architecture step of a second-order search replays the weight step's randomness: with the
    /// search's generator and every dropout mask restored, the same loss and gradients come back.
    @Test func randomStateReplaysAugmentationsAndDropoutMasks() throws {
        var rng = SeededGenerator(seed: 5)
        let registry = try bmnasRegistry()
        let dataset = SyntheticData.plantedInteraction(samples: 120, levels: 2, dims: 3, noise: 0.05, seed: 5)
        let source = DatasetSource(dataset: dataset)
        let encoders: [any ModalityEncoder] = try (0..<2).map { i in
            let (name, configuration) = source.encoderConfiguration(modality: i)
            return try registry.encoder(named: name).make(configuration, &rng)
        }
        let configuration = SearchSpaceConfiguration(
            inputNames: ["a.0", "a.1", "b.0", "b.1"], inputShapes: encoders.flatMap(\.levelShapes),
            channels: 4, length: 2, cells: 1, steps: 1, dropout: 0.5, primitives: ["sum", "concat_fc"])
        let supernet = try FusionNASSearchSpace().makeSupernet(configuration, registry: registry, rng: &rng)
        let network = MultimodalNetwork(encoders: encoders, body: supernet)
        let objective = SelfSupervisedObjective(
            objective: try NTXentLoss(), representationSize: network.representationSize,
            modalityLevelShapes: encoders.map(\.levelShapes), augmentations: .default, projectionHidden: 8,
            projectionOutput: 4, rng: &rng)
        let search = try ArchitectureSearch(
            network: network, supernet: supernet, objective: objective, source: source,
            trainIndices: Array(0..<60), heldOutIndices: Array(60..<120), settings: SearchSettings(), seed: 3)
        search.setMode(training: true)
        let batch = Array(0..<16)
        func gradients() throws -> (Double, [Float]) {
            let loss = try search.lossWithGradients(batch, group: search.architecture, step: 1)
            return (loss, search.architecture.flatMap { $0.grad?.values ?? [] })
        }
        let state = ArchitectureSearch.RandomState(capturing: search)
        let first = try gradients()
        let fresh = try gradients()
        state.restore(into: search)
        let replayed = try gradients()
        #expect(fresh.0 != first.0, "the views and masks should differ between draws, else this test shows nothing")
        #expect(replayed.0 == first.0)
        #expect(replayed.1 == first.1)
    }

    @Test func betaDecayGradientMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 11)
        let parameters = [Tensor.randn([2, 3], rng: &rng), Tensor.randn([4], rng: &rng)]
        let weight: Float = 1.7
        BetaDecay.addGradient(to: parameters, weight: weight)
        for p in parameters {
            for i in 0..<p.count {
                let original = p.data[i]
                p.data[i] = original + 1e-2
                let plus = BetaDecay.value(parameters)
                p.data[i] = original - 1e-2
                let minus = BetaDecay.value(parameters)
                p.data[i] = original
                let numeric = Float(Double(weight) * (plus - minus) / 2e-2)
                #expect(abs(p.grad!.data[i] - numeric) < 1e-3, "element \(i) of \(p.shape): \(p.grad!.data[i]) vs \(numeric)")
            }
        }
    }

    /// The collapse mechanism in miniature: the loss rewards option 0 in proportion to its weight
    /// (L = -c·p₀, as a parameter-free operation helps while the others are untrained), so under Adam
    /// its weight runs to 1. Beta-Decay's pull grows with the weight itself and balances the reward at
    /// p₀ = 1 - λ/c.
    @Test func betaDecayStopsAnOptionFromRunningAwayWithItsChoice() {
        func finalWeight(betaDecay: Float) -> Float {
            let c: Float = 0.1
            let alpha = Tensor.zeros([4]).requiringGrad()
            let optimizer = Adam(parameters: [alpha], learningRate: 0.05)
            for _ in 0..<2000 {
                let p = FusionNASSupernet.rowSoftmax(alpha)[0]
                alpha.grad = Tensor(shape: [4], values: (0..<4).map { k in -c * p[0] * ((k == 0 ? 1 : 0) - p[k]) })
                BetaDecay.addGradient(to: [alpha], weight: betaDecay)
                optimizer.step()
            }
            return FusionNASSupernet.rowSoftmax(alpha)[0][0]
        }
        let plain = finalWeight(betaDecay: 0)
        let regularised = finalWeight(betaDecay: 0.05)
        #expect(plain > 0.99, "plain DARTS should collapse in this toy: \(plain)")
        #expect(regularised < 0.7, "Beta-Decay should hold the weight near 1 - 0.05 / 0.1: \(regularised)")
    }

    /// A supernet whose primitive mixture gives `sum` most of the weight although the held-out score
    /// depends almost only on `concat_fc`'s share: DARTS's argmax picks sum, DARTS-PT picks concat_fc.
    @Test func perturbationSelectionPicksTheOptionTheSupernetDependsOn() throws {
        var rng = SeededGenerator(seed: 2)
        let configuration = SearchSpaceConfiguration(
            inputNames: ["a.0", "b.0"], inputShapes: [.init(channels: 3, length: 2), .init(channels: 3, length: 2)],
            channels: 4, length: 2, cells: 1, steps: 1, dropout: 0, primitives: ["zero", "sum", "concat_fc"])
        let supernet = try #require(
            try FusionNASSearchSpace().makeSupernet(configuration, registry: bmnasRegistry(), rng: &rng) as? FusionNASSupernet)
        supernet.train(false)
        let gamma = supernet.architectureParameters.last!
        gamma.assign(Tensor(shape: [3], values: [0, 2, 0]))
        let inputs = [Tensor.randn([16, 3, 2], rng: &rng), Tensor.randn([16, 3, 2], rng: &rng)]
        // The target is the supernet's output without sum's share, so removing sum costs nothing
        // while removing concat_fc costs its whole contribution.
        supernet.removedOption = ArchitectureOption(choice: "cell0.step0.primitive", option: 1)
        let target = supernet(inputs).copy()
        supernet.removedOption = nil
        let score = { () -> Double in
            let d = supernet(inputs) - target
            return -Double((d * d).mean().item)
        }
        #expect(supernet.deriveGenotype().cells[0].steps[0].primitive == "sum")
        let importances = try PerturbationSelection.importances(of: supernet, score: score)
        #expect(supernet.removedOption == nil)
        let primitive = importances["cell0.step0.primitive"]!
        #expect(primitive[2] > primitive[1], "\(primitive)")
        #expect(primitive[0] == 0, "removing the zero primitive changes nothing: \(primitive)")
        #expect(PerturbationSelection.genotype(of: supernet, importances: importances).cells[0].steps[0].primitive == "concat_fc")
    }

    /// Scores that favour cells reading only `a`: by default the genotype drops `b`; with every
    /// modality required, the last cell takes its strongest pair that reads `b`.
    @Test func everyModalityCoverageMakesTheLastCellReadTheDroppedModality() throws {
        func derive(everyModality: Bool) throws -> Genotype {
            var configuration = tinyConfiguration(cells: 2, primitives: ["sum", "concat_fc"])
            configuration.readsEveryModality = everyModality
            var rng = SeededGenerator(seed: 1)
            let supernet = try #require(
                try FusionNASSearchSpace().makeSupernet(configuration, registry: bmnasRegistry(), rng: &rng) as? FusionNASSupernet)
            var scores = supernet.architectureWeights()
            // Input nodes: a.0, a.1, b.0, then cell 0.
            scores["cell0.input0"] = [0.6, 0.3, 0.1]
            scores["cell0.input1"] = [0.3, 0.6, 0.1]
            scores["cell1.input0"] = [0.1, 0.2, 0.05, 0.65]
            scores["cell1.input1"] = [0.2, 0.5, 0.1, 0.2]
            return supernet.deriveGenotype(fromScores: scores)
        }
        let free = try derive(everyModality: false)
        #expect(free.unreadModalities == ["b"], "\(free)")
        let covered = try derive(everyModality: true)
        #expect(covered.unreadModalities.isEmpty, "\(covered)")
        #expect(covered.cells[0].inputs == free.cells[0].inputs, "the first cell can leave b to the second")
        #expect(Set(covered.cells[1].inputs) == [3, 2], "the strongest pair of cell 1 that reads b: \(covered)")
    }

    /// The space names its operation choices (what collapse warnings watch); the core no longer
    /// guesses them from BM-NAS's key names.
    @Test func bmnasNamesItsPrimitiveMixturesAsOperationChoices() throws {
        var rng = SeededGenerator(seed: 3)
        let supernet = try FusionNASSearchSpace().makeSupernet(tinyConfiguration(cells: 2, steps: 2), registry: bmnasRegistry(), rng: &rng)
        #expect(supernet.operationChoices == [
            "cell0.step0.primitive", "cell0.step1.primitive", "cell1.step0.primitive", "cell1.step1.primitive",
        ])
        let weights = supernet.architectureWeights()
        #expect(supernet.operationChoices.allSatisfy { weights[$0]?.count == BMNASComponents.defaultPrimitives.count })
    }

    @Test func removingAnOptionZeroesOnlyItsShare() throws {
        var rng = SeededGenerator(seed: 4)
        let supernet = try #require(
            try FusionNASSearchSpace().makeSupernet(
                tinyConfiguration(cells: 1, primitives: ["sum", "concat_fc"]), registry: bmnasRegistry(), rng: &rng)
                as? FusionNASSupernet)
        supernet.train(false)
        let inputs = tinyInputs()
        let full = supernet(inputs).values
        supernet.removedOption = ArchitectureOption(choice: "cell0.input0", option: 2)
        let without = supernet(inputs).values
        supernet.removedOption = ArchitectureOption(choice: "no.such.choice", option: 0)
        let unknown = supernet(inputs).values
        supernet.removedOption = nil
        #expect(without != full)
        #expect(unknown == full)
        #expect(supernet(inputs).values == full)
    }
}
