import Contrastive
import Foundation
import FusionNAS
import TestSupport
import Testing
import Tensors

extension ContrastiveTests {
    // MARK: NT-Xent

    @Test func ntXentMatchesAHandComputedValue() throws {
        // Views e1, e2 and their identical partners: each row sees its partner at cosine 1 and two
        // negatives at cosine 0, so with τ = 0.5 every term is -log(e² / (e² + 2)) = log(1 + 2e⁻²).
        let z = matrix([[1, 0], [0, 1]])
        let loss = try NTXentLoss(temperature: 0.5).loss(ObjectiveEmbeddings(views: [z, z.copy()]))
        #expect(Swift.abs(Double(loss.item) - Foundation.log(1 + 2 * Foundation.exp(-2.0))) < 1e-5)
    }

    @Test func ntXentMatchesTheDefinitionOnUnnormalisedInputs() throws {
        var rng = SeededGenerator(seed: 1)
        let z1 = Tensor.randn([3, 4], rng: &rng) * 3, z2 = Tensor.randn([3, 4], rng: &rng)
        let loss = try NTXentLoss().loss(ObjectiveEmbeddings(views: [z1, z2]))
        let expected = referenceNTXent(rows(z1), rows(z2), temperature: NTXentLoss.defaultTemperature)
        #expect(Swift.abs(Double(loss.item) - expected) < 1e-4 * Swift.max(1, expected))
    }

    @Test func ntXentGradientsMatchFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 2)
        let ntxent = try NTXentLoss(temperature: 0.5)
        let result = GradientCheck.run(
            inputs: [Tensor.randn([3, 4], rng: &rng), Tensor.randn([3, 4], rng: &rng)], epsilon: 1e-3
        ) { t in try! ntxent.loss(ObjectiveEmbeddings(views: [t[0], t[1]])) }
        #expect(result.passed, "\(result)")
    }

    @Test func ntXentRefusesBadTemperaturesAndBatches() throws {
        for bad in [0, 1e-3, -0.5, .nan, .infinity] {
            #expect(throws: ComponentError.self) { try NTXentLoss(temperature: bad) }
        }
        #expect(throws: ComponentError.self) {
            try NTXentLoss(configuration: ObjectiveConfiguration(options: ["temprature": 0.5]))
        }
        let ntxent = try NTXentLoss()
        let one = Tensor.ones([1, 4])
        #expect(throws: ComponentError.self) { try ntxent.loss(ObjectiveEmbeddings(views: [one, one])) }
        #expect(throws: ComponentError.self) { try ntxent.loss(ObjectiveEmbeddings(views: [Tensor.ones([2, 4])])) }
        #expect(throws: ComponentError.self) {
            try ntxent.loss(ObjectiveEmbeddings(views: [Tensor.ones([2, 4]), Tensor.ones([3, 4])]))
        }
        #expect(ntxent.parameters().isEmpty)
        #expect(ntxent.requiredViews == .augmentedPair)
    }

    // MARK: CLIP

    @Test func clipMatchesAHandComputedValue() throws {
        // Two modalities equal to e1, e2: logits s·I with s = 1/τ = 2, so each row and column costs
        // -log(e² / (e² + 1)) = log(1 + e⁻²).
        let z = matrix([[1, 0], [0, 1]])
        let clip = try CLIPInfoNCELoss(temperature: 0.5)
        let loss = try clip.loss(ObjectiveEmbeddings(views: [z, z.copy()]))
        #expect(Swift.abs(Double(loss.item) - Foundation.log(1 + Foundation.exp(-2.0))) < 1e-5)
    }

    @Test func clipMatchesTheDefinitionOverEveryPairOfViews() throws {
        var rng = SeededGenerator(seed: 3)
        let views = (0..<3).map { _ in Tensor.randn([4, 5], rng: &rng) }
        let clip = try CLIPInfoNCELoss()
        #expect(Swift.abs(Double(clip.logitScale.item) - Foundation.log(1 / 0.07)) < 1e-6)
        let loss = try clip.loss(ObjectiveEmbeddings(views: views))
        let expected = referenceCLIP(views.map(rows), scale: 1 / 0.07)
        #expect(Swift.abs(Double(loss.item) - expected) < 1e-4 * Swift.max(1, expected))
    }

    @Test func clipGradientsMatchFiniteDifferencesIncludingTheLogitScale() throws {
        var rng = SeededGenerator(seed: 4)
        let clip = try CLIPInfoNCELoss(temperature: 0.5)
        let views = (0..<3).map { _ in Tensor.randn([3, 4], rng: &rng) }
        #expect(clip.parameters().count == 1)
        let result = GradientCheck.run(inputs: views + [clip.logitScale], epsilon: 1e-3) { t in
            try! clip.loss(ObjectiveEmbeddings(views: Array(t[0..<3])))
        }
        #expect(result.passed, "\(result)")
    }

    @Test func clipClampsTheLogitScaleAtLogOneHundred() throws {
        let clip = try CLIPInfoNCELoss(temperature: 0.5)
        clip.logitScale.data[0] = Float(Foundation.log(1000.0))  // as if an optimizer step overshot
        let z = matrix([[1, 0], [0, 1]])
        let loss = try clip.loss(ObjectiveEmbeddings(views: [z, z.copy()]))
        #expect(Swift.abs(Double(clip.logitScale.item) - Foundation.log(100.0)) < 1e-6)
        #expect(Swift.abs(clip.temperature - 0.01) < 1e-6)
        #expect(Swift.abs(Double(loss.item) - Foundation.log(1 + Foundation.exp(-100.0))) < 1e-6)
        clip.logitScale.data[0] = -1
        _ = try clip.loss(ObjectiveEmbeddings(views: [z, z.copy()]))
        #expect(clip.logitScale.item == 0)
    }

    @Test func clipReadsItsOptionsAndRefusesBadOnes() throws {
        let fromScale = try CLIPInfoNCELoss(configuration: ObjectiveConfiguration(options: ["logit_scale": 1]))
        #expect(Swift.abs(fromScale.logitScale.item - 1) < 1e-6)
        let frozen = try CLIPInfoNCELoss(configuration: ObjectiveConfiguration(options: ["learnable_scale": 0]))
        #expect(frozen.parameters().isEmpty)
        for bad in [0, 1e-3, 0.005, 2, .nan, -.infinity] {
            #expect(throws: ComponentError.self) { try CLIPInfoNCELoss(temperature: bad) }
        }
        for options: [String: Double] in [["logit_scale": 6], ["logit_scale": .nan], ["temperature": 0.1, "logit_scale": 2], ["scale": 1], ["learnable_scale": 0.5]] {
            #expect(throws: ComponentError.self) { try CLIPInfoNCELoss(configuration: ObjectiveConfiguration(options: options)) }
        }
        let clip = try CLIPInfoNCELoss()
        #expect(throws: ComponentError.self) { try clip.loss(ObjectiveEmbeddings(views: [Tensor.ones([1, 3]), Tensor.ones([1, 3])])) }
        #expect(throws: ComponentError.self) { try clip.loss(ObjectiveEmbeddings(views: [Tensor.ones([2, 3])])) }
        #expect(clip.requiredViews == .modalities)
    }

    // MARK: Projection head

    @Test func projectionHeadMapsTheRepresentationToTheProjectionWidth() {
        var rng = SeededGenerator(seed: 5)
        let head = ProjectionHead(inputs: 6, rng: &rng)
        #expect(head(Tensor.randn([3, 6], rng: &rng)).shape == [3, ProjectionHead.defaultOutput])
        #expect(head.parameterCount == 6 * 256 + 256 + 256 * 64 + 64)
        let small = ProjectionHead(inputs: 4, hidden: 5, outputs: 3, rng: &rng)
        var inputRNG = SeededGenerator(seed: 8)
        let x = Tensor.randn([2, 4], rng: &inputRNG)
        // Finite differences are meaningless across the ReLU's kink: keep every pre-activation away from 0.
        let preActivations = linear(x, weight: small.hidden.weight, bias: small.hidden.bias).values
        #expect(preActivations.allSatisfy { abs($0) > 0.05 }, "\(preActivations)")
        let result = GradientCheck.run(inputs: [x] + small.parameters()) { t in small(t[0]) }
        #expect(result.passed, "\(result)")
    }
}
