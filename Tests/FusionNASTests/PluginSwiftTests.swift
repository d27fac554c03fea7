import Foundation
import Layers
import TestSupport
import Testing

@testable import FusionNAS
import Tensors

/// Swift plugins: built as their own package against the dynamic FusionNAS product, loaded with
/// dlopen, and sharing the host's single copy of the core (protocol casts, Module reflection, autodiff).
@Suite struct PluginSwiftTests {
    @Test func fingerprintCombinesAbiCoreAndCompilerVersions() {
        let fingerprint = CoreBuild.hostFingerprint
        #expect(fingerprint.contains("fusionnas-core/\(CoreBuild.coreVersion)"), "\(fingerprint)")
        #expect(fingerprint.contains("plugin-abi/\(PluginLoader.abiMajor).\(PluginLoader.abiMinor)"), "\(fingerprint)")
        #expect(fingerprint.contains("swift/"), "\(fingerprint)")
    }

    @Test func lowRankFusionLoadsAndTrainsThroughTheHostAutodiff() throws {
        let path = try PluginFixtures.swiftPlugin("LowRankFusionPlugin")
        let registry = ComponentRegistry()
        let plugin = try PluginLoader.load(path: path, into: registry)
        #expect(plugin.name == "low-rank-fusion" && plugin.version == "1.0.0")
        #expect(plugin.coreFingerprint == CoreBuild.hostFingerprint)
        let listing = try #require(registry.listing().first)
        #expect(listing.kind == .primitive && listing.name == "low_rank_fusion" && listing.version == "1.0.0")
        #expect(listing.origin == .plugin(path))

        var rng = SeededGenerator(seed: 11)
        let fusion = try registry.primitive(named: "low_rank_fusion").make(
            PrimitiveConfiguration(channels: 3, length: 2, options: ["rank": 2]), &rng)
        // The host's Module reflection sees the plugin class's parameters: 2 weights, 2 biases.
        #expect(fusion.parameters().count == 4)
        #expect(fusion.parameterCount == 2 * (2 * 3 * 3 + 2 * 3))
        let x = Tensor.randn([2, 3, 2], rng: &rng), y = Tensor.randn([2, 3, 2], rng: &rng)
        #expect(fusion([x, y]).shape == [2, 3, 2])
        let inputs = [x, y] + fusion.parameters()
        let check = GradientCheck.run(inputs: inputs) { t in (fusion([t[0], t[1]]) * t[0]).tanh() }
        #expect(check.passed, "\(check)")
    }

    @Test func barlowTwinsLoadsAsAnAugmentedPairObjective() throws {
        let path = try PluginFixtures.swiftPlugin("BarlowTwinsPlugin")
        let registry = ComponentRegistry()
        let plugin = try PluginLoader.load(path: path, into: registry)
        #expect(plugin.components.map(\.name) == ["barlow_twins"])
        let factory = try registry.objective(named: "barlow_twins")
        #expect(factory.origin == .plugin(path) && factory.version == "1.0.0")

        var rng = SeededGenerator(seed: 2)
        let objective = try factory.make(ObjectiveConfiguration(options: ["lambda": 0.01]), &rng)
        #expect(objective.requiredViews == .augmentedPair)
        let z1 = Tensor.randn([6, 4], rng: &rng), z2 = Tensor.randn([6, 4], rng: &rng)
        let loss = try objective.loss(ObjectiveEmbeddings(views: [z1, z2]))
        #expect(loss.shape == [] && loss.item.isFinite)
        // Identical views correlate perfectly on the diagonal: only the off-diagonal term remains.
        let same = try objective.loss(ObjectiveEmbeddings(views: [z1, z1.copy()]))
        #expect(same.item < loss.item)
        let check = GradientCheck.run(inputs: [z1, z2], epsilon: 1e-2, tolerance: 3e-2) { t in
            (try? objective.loss(ObjectiveEmbeddings(views: [t[0], t[1]]))) ?? Tensor(.nan)
        }
        #expect(check.passed, "\(check)")
        #expect(throws: ComponentError.self) { try objective.loss(ObjectiveEmbeddings(views: [z1.slice(axis: 0, start: 0, end: 1), z2.slice(axis: 0, start: 0, end: 1)])) }
        #expect(throws: ComponentError.self) { _ = try factory.make(ObjectiveConfiguration(options: ["lambda": -1]), &rng) }
    }

    @Test func swiftAndCPluginsLoadTogetherFromTheEnvironmentDirectory() throws {
        let directory = PluginFixtures.workDirectory.appendingPathComponent("env-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for library in [try PluginFixtures.swiftPlugin("BarlowTwinsPlugin"), try PluginFixtures.gatedProduct()] {
            let link = directory.appendingPathComponent(URL(fileURLWithPath: library).lastPathComponent)
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: library)
        }
        let paths = try PluginLoader.paths(explicit: [], environment: [PluginLoader.pathEnvironmentVariable: directory.path])
        #expect(paths.map { URL(fileURLWithPath: $0).lastPathComponent } == ["libBarlowTwinsPlugin.so", "libgated_product.so"])
        let registry = ComponentRegistry()
        let plugins = try PluginLoader.loadAll(paths: paths, into: registry)
        #expect(plugins.map(\.name) == ["barlow-twins", "gated-product"])
        #expect(registry.names(of: .objective) == ["barlow_twins"] && registry.names(of: .primitive) == ["gated_product"])
    }
}

/// The core exists once in the process: a Swift plugin's libFusionNAS.so dependency resolves to the
/// host (which carries that soname), even for a plugin copied away from its build directory.
@Suite struct PluginSingleCoreTests {
    @Test func copiedSwiftPluginLoadsWithoutASecondCore() throws {
        let built = try PluginFixtures.swiftPlugin("LowRankFusionPlugin")
        let directory = PluginFixtures.workDirectory.appendingPathComponent("copied-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let copy = directory.appendingPathComponent("libLowRankFusionPlugin.so").path
        try FileManager.default.copyItem(atPath: built, toPath: copy)
        let registry = ComponentRegistry()
        let plugin = try PluginLoader.load(path: copy, into: registry)
        #expect(plugin.components.map(\.origin) == [.plugin(copy)])
        let maps = try String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
        #expect(!maps.contains("libFusionNAS.so"), "a second copy of the core was mapped")
        // Its primitive is a FusionPrimitive of the host's core: it fuses and differentiates, with
        // gradients that match finite differences.
        var rng = SeededGenerator(seed: 4)
        let fusion = try registry.primitive(named: "low_rank_fusion").make(PrimitiveConfiguration(channels: 2, length: 1), &rng)
        let x = Tensor.randn([3, 2, 1], rng: &rng)
        let result = GradientCheck.run(inputs: [x] + fusion.parameters()) { t in fusion([t[0], t[0]]) }
        #expect(result.passed, "\(result)")
    }
}
