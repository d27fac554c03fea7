import BMNAS
import Contrastive
import FusionNAS
import FusionNASPipeline
import Layers
import TestSupport
import Testing
import Tensors

/// Plugin primitives and objectives inside the real search space and pipeline.
@Suite(.serialized) struct PluginSupernetTests {
    /// The built-in components plus the Swift low-rank fusion, the C gated product and Barlow Twins.
    func registryWithPlugins() throws -> ComponentRegistry {
        let registry = try bmnasRegistry()
        try ContrastiveComponents.register(in: registry)
        _ = try PluginLoader.load(path: try PluginFixtures.swiftPlugin("LowRankFusionPlugin"), into: registry)
        _ = try PluginLoader.load(path: try PluginFixtures.swiftPlugin("BarlowTwinsPlugin"), into: registry)
        _ = try PluginLoader.load(path: try PluginFixtures.gatedProduct(), into: registry)
        return registry
    }

    @Test func pluginPrimitivesReceiveGradientsInsideTheSupernetAndCanBeSelected() throws {
        let registry = try registryWithPlugins()
        var rng = SeededGenerator(seed: 8)
        let configuration = tinyConfiguration(primitives: ["zero", "sum", "low_rank_fusion", "gated_product"])
        let supernet = try FusionNASSearchSpace().makeSupernet(configuration, registry: registry, rng: &rng)
        let inputs = tinyInputs()
        for a in supernet.architectureParameters { a.assign(Tensor.randn(a.shape, rng: &rng)) }
        // Every plugin primitive's parameters get a gradient through the mixture.
        let pluginWeights = supernet.namedParameters().filter { $0.name.contains(".primitives.2.") }.map(\.tensor)
        #expect(!pluginWeights.isEmpty)
        supernet(inputs).square().mean().backward()
        for p in pluginWeights { #expect(p.grad != nil, "no gradient reached a low_rank_fusion parameter") }
        supernet.zeroGrad()
        // Finite differences through the supernet: every parameter tensor, plugin weights included.
        // ReLUs after batch norm over a batch of three always have pre-activations near a kink, so
        // the error a kink inside the step explains is allowed; the step is 1e-3 (see FusionNASSupernetTests).
        let result = GradientCheck.run(inputs: supernet.parameters(), epsilon: 1e-3, maxElementsPerInput: 4, toleratesKinks: true) { _ in
            supernet(inputs)
        }
        #expect(result.passed, "\(result)")
        // With its gamma strongest, each plugin primitive is the one derived, and the found network builds.
        for (index, name) in [(2, "low_rank_fusion"), (3, "gated_product")] {
            for gamma in supernet.architectureParameters.suffix(2) {
                var values = [Float](repeating: 0, count: 4)
                values[index] = 5
                gamma.assign(Tensor(shape: [4], values: values))
            }
            let genotype = supernet.deriveGenotype()
            #expect(genotype.cells.allSatisfy { $0.steps[0].primitive == name }, "\(genotype)")
            let network = try FusionNASSearchSpace().makeNetwork(genotype: genotype, configuration: configuration, registry: registry, rng: &rng)
            let found = GradientCheck.run(inputs: network.parameters(), epsilon: 1e-3, maxElementsPerInput: 8, toleratesKinks: true) { _ in
                network(inputs)
            }
            #expect(found.passed, "\(name): \(found)")
        }
    }

    @Test func aPluginObjectiveRunsThroughTheSelfSupervisedPipelineUnchanged() throws {
        let registry = try registryWithPlugins()
        var c = PipelineConfiguration()
        c.modalities = ["fou", "kar"]
        c.objective = "barlow_twins"
        c.primitives = ["sum", "gated_product", "low_rank_fusion"]
        c.channels = 8
        c.length = 4
        c.searchEpochs = 1
        let pipeline = FusionPipeline(configuration: c, registry: registry, data: try PreparedData.load(c))
        let search = try pipeline.selfSupervisedSearch(encoders: try pipeline.selfSupervisedEncoders())
        #expect(search.history.count == 1)
        // Barlow Twins' loss is Σ (1 - C_ii)² + λ Σ_{i≠j} C_ij² over correlations C in [-1, 1] of a
        // 64-wide projection: positive and at most 4 · 64 + λ · 64 · 63.
        let bound = 4 * 64 + 0.0051 * 64 * 63
        let record = search.history[0]
        #expect(record.trainLoss > 0 && record.trainLoss <= bound, "\(record.trainLoss)")
        #expect(record.heldOutLoss > 0 && record.heldOutLoss <= bound, "\(record.heldOutLoss)")
        // The recorded score is the plugin objective's held-out loss of the searched network,
        // recomputed here through the pipeline's own evaluation.
        let objective = try #require(search.searcher.objective as? SelfSupervisedObjective)
        let heldOut = try pipeline.heldOutSelfSupervisedLoss(
            network: search.searcher.network, objective: objective, indices: pipeline.data.split.validation)
        #expect(Swift.abs(-record.score - heldOut) <= 1e-9 * Swift.max(1, heldOut), "score \(record.score), held-out loss \(heldOut)")
        #expect(pipeline.data.source.labelledBatchesServed == 0)
    }
}
