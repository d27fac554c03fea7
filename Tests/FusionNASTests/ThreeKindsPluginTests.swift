import Foundation
import TestSupport
import Testing

@testable import FusionNAS
import Tensors

/// The example plugin `ThreeKindsPlugin` (Plugins/SwiftPlugins): an encoder, an augmentation and a
/// search space from a real plugin library, checked in this process and then used by a real
/// `fusion-nas run`, which must be seen to run the plugin's code, not built-ins under its names.
@Suite(.serialized) struct ThreeKindsPluginTests {
    static let encoder = "residual_mlp"
    static let augmentation = "random_scaling"
    static let space = "fusionnas_light"
    static let lightPrimitives = ["sum", "linear_glu", "concat_fc"]

    /// The `fusion-nas` executable of this build, next to the test bundle (as CommandTests find it).
    static let binary: URL = {
        var directory = Bundle.main.bundleURL
        while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("fusion-nas").path) {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("fusion-nas")
    }()

    /// Runs `fusion-nas` in `directory` with `environment` added; returns its status and output.
    static func fusionNAS(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = directory
        let log = directory.appendingPathComponent("log-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try? handle.close()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// The tensor names in a safetensors file's header.
    static func tensorNames(in url: URL) throws -> Set<String> {
        let data = try Data(contentsOf: url)
        try #require(data.count >= 8, "\(url.path) is too short for a safetensors file")
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        try #require(data.count >= 8 + length, "\(url.path): header of \(length) bytes does not fit")
        let header = try #require(try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as? [String: Any])
        return Set(header.keys.filter { $0 != "__metadata__" })
    }

    @Test func itsEncoderAugmentationAndSearchSpaceLoadAndBehave() throws {
        let path = try PluginFixtures.swiftPlugin("ThreeKindsPlugin")
        let registry = try bmnasRegistry()
        let plugin = try PluginLoader.load(path: path, into: registry)
        #expect(plugin.name == "three-kinds" && plugin.version == "1.0.0")
        let listed = registry.listing().filter { $0.origin == .plugin(path) }.map { "\($0.kind.rawValue) \($0.name)" }
        #expect(Set(listed) == ["encoder \(Self.encoder)", "augmentation \(Self.augmentation)", "search-space \(Self.space)"], "\(listed)")

        // The encoder: residual levels of (width, 1), trained through the host's autodiff, vectors only.
        var rng = SeededGenerator(seed: 4)
        let encoderFactory = try registry.encoder(named: Self.encoder)
        let encoder = try encoderFactory.make(EncoderConfiguration(modality: "fou", sampleShape: [5], levels: 2, width: 4), &rng)
        #expect(encoder.levelShapes == [FeatureLevelShape(channels: 4, length: 1), FeatureLevelShape(channels: 4, length: 1)])
        // A stem and one block per level, each a weight and a bias: not the built-in mlp's two layers.
        #expect(encoder.namedParameters().map(\.name) == ["stem.weight", "stem.bias", "blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "blocks.1.bias"])
        let x = Tensor.randn([3, 5], rng: &rng)
        #expect(encoder([x]).map(\.shape) == [[3, 4, 1], [3, 4, 1]])
        let check = GradientCheck.run(inputs: [x] + encoder.parameters()) { t in encoder([t[0]]).last!.tanh() }
        #expect(check.passed, "\(check)")
        #expect {
            _ = try encoderFactory.make(EncoderConfiguration(modality: "pix", sampleShape: [1, 4, 4]), &rng)
        } throws: { error in
            "\(error)".contains("residual_mlp encoder for 'pix': expects vector samples of shape [features], got [1, 4, 4]")
        }

        // The augmentation: each element times a factor in [1 - spread, 1 + spread], the same views for the same seed.
        let augmentationFactory = try registry.augmentation(named: Self.augmentation)
        let scaling = try augmentationFactory.make(["spread": 0.3], &rng)
        #expect(scaling.name == Self.augmentation && scaling is any ElementwiseAugmentation)
        let batch = Tensor.randn([8, 16], rng: &rng)
        var viewRNG = SeededGenerator(seed: 9), againRNG = SeededGenerator(seed: 9)
        let view = scaling(batch, rng: &viewRNG), again = scaling(batch, rng: &againRNG)
        #expect(view.values == again.values)
        let factors = zip(view.values, batch.values).map { $0 / $1 }
        #expect(factors.allSatisfy { $0 >= 0.7 - 1e-5 && $0 <= 1.3 + 1e-5 }, "\(factors)")
        #expect(factors.contains { abs($0 - 1) > 0.05 }, "the factors are all near 1: \(factors)")
        #expect(throws: ComponentError.self) { _ = try augmentationFactory.make(["spread": 1.5], &rng) }
        #expect {
            _ = try augmentationFactory.make(["sprad": 0.1], &rng)
        } throws: { error in
            "\(error)".contains("random_scaling: unknown option 'sprad'; it takes: spread")
        }

        // The search space: fusionnas's cells over three primitives, genotypes under its own name.
        let space = try registry.searchSpace(named: Self.space)
        #expect(space.searchDefaults.primitives == Self.lightPrimitives)
        let configuration = tinyConfiguration(primitives: Self.lightPrimitives)
        let supernet = try space.makeSupernet(configuration, registry: registry, rng: &rng)
        let inputs = tinyInputs()
        #expect(supernet(inputs).shape == [3, supernet.outputChannels, 3])
        #expect(!supernet.architectureParameters.isEmpty && !supernet.weightParameters.isEmpty)
        let genotype = supernet.deriveGenotype()
        #expect(genotype.searchSpace == Self.space && space.mismatch(genotype) == nil)
        #expect(genotype.cells.flatMap(\.steps).allSatisfy { Self.lightPrimitives.contains($0.primitive) }, "\(genotype)")
        // Perturbation-based selection reaches the wrapped supernet.
        let perturbable = try #require(supernet as? any PerturbableSupernet)
        #expect(perturbable.deriveGenotype(fromScores: supernet.architectureWeights()).searchSpace == Self.space)
        let full = supernet(inputs).values
        perturbable.removedOption = ArchitectureOption(choice: "cell0.step0.primitive", option: 0)
        #expect(supernet(inputs).values != full, "removing an option did not change the supernet's output")
        perturbable.removedOption = nil
        let network = try space.makeNetwork(genotype: genotype, configuration: configuration, registry: registry, rng: &rng)
        #expect(network(inputs).shape == [3, network.outputChannels, 3])
        var builtIn = genotype
        builtIn.searchSpace = "fusionnas"
        #expect {
            _ = try space.makeNetwork(genotype: builtIn, configuration: configuration, registry: registry, rng: &rng)
        } throws: { error in
            (error as? ComponentError)?.problem == .doesNotFit && "\(error)".contains("search space 'fusionnas', not 'fusionnas_light'")
        }
    }

    /// One `fusion-nas run` with the plugin's three components on the embedded uci-mfeat data (two
    /// vector views, a few epochs): the run's files name them, and the plugin's trace shows its
    /// code built and ran each of them.
    @Test func aRunUsesThePluginsEncoderAugmentationAndSearchSpace() throws {
        let path = try PluginFixtures.swiftPlugin("ThreeKindsPlugin")
        let directory = PluginFixtures.workDirectory.appendingPathComponent("three-kinds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)

        let list = try Self.fusionNAS(["plugins", "list", "--plugin", path], in: directory)
        #expect(list.status == 0, "\(list.output)")
        for (kind, name) in [("encoder", Self.encoder), ("augmentation", Self.augmentation), ("search-space", Self.space)] {
            let row = list.output.split(separator: "\n").first { $0.contains("| \(name) ") }
            #expect(row?.hasPrefix("| \(kind) ") == true && row?.contains(path) == true, "no \(kind) \(name) from \(path) in:\n\(list.output)")
        }

        let trace = directory.appendingPathComponent("trace.txt")
        let out = directory.appendingPathComponent("run")
        let run = try Self.fusionNAS(
            [
                "run", "--out", out.path, "--plugin", path, "--search-space", Self.space,
                "--encoders", "fou=\(Self.encoder),kar=\(Self.encoder)", "--augmentations", "\(Self.augmentation):spread=0.3,gaussian_noise",
                "--modalities", "fou,kar", "--search-epochs", "2", "--pretrain-epochs", "2", "--finetune-epochs", "2",
                "--channels", "8", "--length", "4", "--batch-size", "32", "--threads", "1",
            ], in: directory, environment: ["FUSIONNAS_THREE_KINDS_TRACE": trace.path])
        try #require(run.status == 0, "\(run.output)")

        // Both searches ran in the plugin space: only its supernet names genotypes after it, over
        // its default primitives (no --primitives was given).
        for file in ["genotype.json", "supervised-genotype.json"] {
            let genotype = try Genotype.load(from: out.appendingPathComponent(file))
            #expect(genotype.searchSpace == Self.space, "\(file): \(genotype.searchSpace)")
            #expect(genotype.cells.flatMap(\.steps).allSatisfy { Self.lightPrimitives.contains($0.primitive) }, "\(file): \(genotype)")
        }
        let config = try String(contentsOf: out.appendingPathComponent("config.json"), encoding: .utf8)
        for name in [Self.space, Self.encoder, Self.augmentation, path] { #expect(config.contains(name), "config.json lacks \(name):\n\(config)") }
        // The saved network's encoders are the plugin's: its stem and residual blocks, not the mlp's layers.
        let names = try Self.tensorNames(in: out.appendingPathComponent("weights.safetensors"))
        for modality in 0..<2 {
            #expect(names.contains("encoders.\(modality).stem.weight") && names.contains("encoders.\(modality).blocks.1.weight"), "\(names.sorted())")
            #expect(!names.contains { $0.hasPrefix("encoders.\(modality).layers.") }, "\(names.sorted())")
        }
        // The plugin's own code ran: what its components record on the way (no file: none of it ran).
        let events = Set(((try? String(contentsOf: trace, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init))
        for event in [
            "encoder residual_mlp: built for modality fou", "encoder residual_mlp: built for modality kar",
            "encoder residual_mlp: encoded a batch", "augmentation random_scaling: built",
            "augmentation random_scaling: scaled elements of a view", "search space fusionnas_light: built a supernet",
            "search space fusionnas_light: derived a genotype", "search space fusionnas_light: built a found network",
        ] {
            #expect(events.contains(event), "the trace lacks '\(event)': \(events.sorted())")
        }

        // genotype show reads the plugin space's genotype and names its cells' schema.
        let show = try Self.fusionNAS(["genotype", "show", out.appendingPathComponent("genotype.json").path], in: directory)
        #expect(show.status == 0, "\(show.output)")
        #expect(
            show.output.hasPrefix(
                "genotype.json: fusionnas_light search space, 4 inputs (fou.0, fou.1, kar.0, kar.1), 2 cells (2 inputs per cell, 2 operands per step)\n"),
            "\(show.output)")
    }
}
