import BMNAS
import Contrastive
import Foundation
import FusionNAS
import Layers
import Testing
import Tensors

/// A stand-in for a plugin's objective: negative cosine agreement of the two views (the example of
/// the ``SSLObjective`` documentation), with no knowledge of the Contrastive module's internals.
final class CosineAgreementPlugin: Module, SSLObjective, @unchecked Sendable {
    let requiredViews = ObjectiveViews.augmentedPair
    func loss(_ e: ObjectiveEmbeddings) throws -> Tensor {
        -(e.views[0].l2Normalized() * e.views[1].l2Normalized()).sum(axis: 1).mean()
    }
}

/// Two vector modalities (6 and 5 features, two levels of width 8 each) fused by a tiny BM-NAS supernet.
func makeTinyNetwork(rng: inout SeededGenerator) throws -> (MultimodalNetwork, [[FeatureLevelShape]]) {
    let registry = ComponentRegistry()
    try BMNASComponents.register(in: registry)
    let encoders = try [6, 5].enumerated().map { index, features in
        try VectorEncoder(
            EncoderConfiguration(modality: "m\(index)", sampleShape: [features], levels: 2, width: 8), rng: &rng)
    }
    let shapes = encoders.map(\.levelShapes)
    let configuration = SearchSpaceConfiguration(
        inputNames: ["m0.0", "m0.1", "m1.0", "m1.1"], inputShapes: shapes.flatMap { $0 }, channels: 4, length: 2,
        cells: 1, steps: 1, dropout: 0, primitives: BMNASComponents.defaultPrimitives)
    let body = try FusionNASSearchSpace().makeSupernet(configuration, registry: registry, rng: &rng)
    return (MultimodalNetwork(encoders: encoders, body: body), shapes)
}

/// An unlabelled batch of `size` samples of the tiny network's two modalities.
func makeUnlabelledBatch(size: Int, rng: inout SeededGenerator) -> Batch {
    Batch(inputs: [[Tensor.randn([size, 6], rng: &rng)], [Tensor.randn([size, 5], rng: &rng)]], targets: nil)
}

extension ContrastiveTests {
    @Test(arguments: ["ntxent", "clip", "plugin"])
    func selfSupervisedObjectiveGivesAFiniteLossWithoutLabels(kind: String) throws {
        var rng = SeededGenerator(seed: 20)
        let (network, shapes) = try makeTinyNetwork(rng: &rng)
        let objective: any SSLObjective =
            switch kind {
            case "ntxent": try NTXentLoss()
            case "clip": try CLIPInfoNCELoss()
            default: CosineAgreementPlugin()
            }
        let ssl = SelfSupervisedObjective(
            objective: objective, representationSize: network.representationSize, modalityLevelShapes: shapes,
            augmentations: .default, projectionHidden: 16, projectionOutput: 8, rng: &rng)
        #expect(!ssl.readsLabels)
        #expect(ssl.modules.contains { $0 === objective })
        // The head, one embedding per modality for CLIP, and CLIP's logit scale.
        let expectedParameters = kind == "clip" ? 4 + 2 * 2 + 1 : 4
        #expect(ssl.parameters.count == expectedParameters)
        let batch = makeUnlabelledBatch(size: 6, rng: &rng)
        let loss = try ssl.loss(network: network, batch: batch, rng: &rng)
        #expect(loss.shape == [] && loss.item.isFinite)
        loss.backward()
        // Every trainable tensor, the objective's and the network's (encoders, every candidate of the
        // supernet, architecture weights), takes part in the loss: each gets a nonzero gradient.
        for (name, parameters) in [("objective", ssl.parameters), ("network", network.parameters())] {
            for (i, p) in parameters.enumerated() where p.requiresGrad {
                let grad = p.grad?.values ?? []
                #expect(grad.allSatisfy(\.isFinite) && grad.contains { $0 != 0 }, "\(kind): \(name) parameter \(i) \(p.shape) has gradient \(grad.prefix(8))")
            }
        }
    }

    @Test(arguments: ["ntxent", "clip"])
    func selfSupervisedLossDecreasesUnderAdam(kind: String) throws {
        var rng = SeededGenerator(seed: 21)
        let (network, shapes) = try makeTinyNetwork(rng: &rng)
        let objective: any SSLObjective = kind == "ntxent" ? try NTXentLoss(temperature: 0.5) : try CLIPInfoNCELoss()
        let ssl = SelfSupervisedObjective(
            objective: objective, representationSize: network.representationSize, modalityLevelShapes: shapes,
            augmentations: AugmentationPipeline(perModality: [GaussianNoise(std: 0.05)]), projectionHidden: 16,
            projectionOutput: 8, rng: &rng)
        let batch = makeUnlabelledBatch(size: 8, rng: &rng)
        // The same augmentation seed before and after training, so the two losses are comparable.
        func evaluate() throws -> Float {
            var fixed = SeededGenerator(seed: 99)
            return try withoutGrad { try ssl.loss(network: network, batch: batch, rng: &fixed).item }
        }
        let before = try evaluate()
        let optimizer = Adam(parameters: network.parameters() + ssl.parameters, learningRate: 1e-2)
        for _ in 0..<15 {
            optimizer.zeroGrad()
            try ssl.loss(network: network, batch: batch, rng: &rng).backward()
            optimizer.step()
        }
        let after = try evaluate()
        #expect(after < before * 0.9, "loss \(before) -> \(after)")
    }

    @Test func selfSupervisedObjectiveRefusesALabelledBatch() async {
        await #expect(processExitsWith: .failure) {
            var rng = SeededGenerator(seed: 22)
            let (network, shapes) = try! makeTinyNetwork(rng: &rng)
            let ssl = SelfSupervisedObjective(
                objective: try! NTXentLoss(), representationSize: network.representationSize,
                modalityLevelShapes: shapes, augmentations: .none, projectionHidden: 8, projectionOutput: 4, rng: &rng)
            var batch = makeUnlabelledBatch(size: 4, rng: &rng)
            batch.targets = .classes([0, 1, 0, 1])
            _ = try? ssl.loss(network: network, batch: batch, rng: &rng)
        }
    }

    @Test func aBatchOfOneIsAnErrorNotANaN() throws {
        var rng = SeededGenerator(seed: 23)
        let (network, shapes) = try makeTinyNetwork(rng: &rng)
        network.eval()  // BatchNorm cannot take batch statistics of one sample
        for objective: any SSLObjective in [try NTXentLoss(), try CLIPInfoNCELoss()] {
            let ssl = SelfSupervisedObjective(
                objective: objective, representationSize: network.representationSize, modalityLevelShapes: shapes,
                augmentations: .none, projectionHidden: 8, projectionOutput: 4, rng: &rng)
            let batch = makeUnlabelledBatch(size: 1, rng: &rng)
            #expect(throws: ComponentError.self) { try ssl.loss(network: network, batch: batch, rng: &rng) }
        }
    }
}
