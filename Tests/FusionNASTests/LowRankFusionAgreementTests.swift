import BMNAS
import FusionNAS
import Layers
import Testing
import Tensors

/// The built-in `low_rank_tensor` and the `low_rank_fusion` plugin compute one product,
/// `lowRankFusion(_:weights:biases:rank:)`, read `rank` through one validation, and differ only
/// where their documentation says: the plugin averages over the rank, the built-in sums and
/// normalises.
@Suite struct LowRankFusionAgreementTests {
    @Test func builtInAndPluginDifferOnlyByDesign() throws {
        let registry = ComponentRegistry()
        _ = try PluginLoader.load(path: try PluginFixtures.swiftPlugin("LowRankFusionPlugin"), into: registry)
        let (channels, rank) = (3, 2)
        let configuration = PrimitiveConfiguration(channels: channels, length: 4, dropout: 0, options: ["rank": Double(rank)])
        var rng = SeededGenerator(seed: 5)
        let plugin = try registry.primitive(named: "low_rank_fusion").make(configuration, &rng)
        let builtIn = try LowRankTensorFusion(configuration, rng: &rng)

        // The plugin's factors, given to the built-in's 1x1 convolutions.
        let pluginTensors = Dictionary(uniqueKeysWithValues: plugin.namedTensors().map { ($0.name, $0.tensor) })
        let builtInTensors = Dictionary(uniqueKeysWithValues: builtIn.namedTensors().map { ($0.name, $0.tensor) })
        var weights: [Tensor] = [], biases: [Tensor] = []
        for i in 0..<2 {
            let weight = try #require(pluginTensors["weights.\(i)"]), bias = try #require(pluginTensors["biases.\(i)"])
            try #require(builtInTensors["projections.\(i).weight"]).assign(Tensor(shape: [rank * channels, channels, 1], values: weight.values))
            try #require(builtInTensors["projections.\(i).bias"]).assign(bias)
            weights.append(weight)
            biases.append(bias)
        }
        let x = Tensor.randn([5, channels, 4], rng: &rng), y = Tensor.randn([5, channels, 4], rng: &rng)
        let product = lowRankFusion([x, y], weights: weights, biases: biases, rank: rank).values

        // The plugin: the product averaged over the rank.
        expectClose(plugin([x, y]).values, product.map { $0 / Float(rank) })
        // The built-in in evaluation mode: the summed product through a fresh BatchNorm (mean 0,
        // variance 1, scale 1, shift 0), i.e. divided by sqrt(1 + epsilon).
        builtIn.eval()
        expectClose(builtIn([x, y]).values, product.map { $0 / (1 + 1e-5).squareRoot() })
    }

    @Test(arguments: [0.0, 2.5, -1, .nan])
    func bothRefuseTheSameBadRanks(_ rank: Double) throws {
        let registry = ComponentRegistry()
        _ = try PluginLoader.load(path: try PluginFixtures.swiftPlugin("LowRankFusionPlugin"), into: registry)
        let configuration = PrimitiveConfiguration(channels: 3, length: 4, options: ["rank": rank])
        var rng = SeededGenerator(seed: 1)
        #expect(throws: ComponentError.self) { _ = try LowRankTensorFusion(configuration, rng: &rng) }
        #expect(throws: ComponentError.self) { _ = try registry.primitive(named: "low_rank_fusion").make(configuration, &rng) }
    }

    func expectClose(_ a: [Float], _ b: [Float], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst < 1e-5, "largest relative difference \(worst)", sourceLocation: sourceLocation)
    }
}
