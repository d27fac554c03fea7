import Foundation
import FusionNAS
import FusionNASPipeline
import Layers
import MultimodalData
import ONNXWriter
import Tensors

/// `fusion-nas export RUN_DIR --format onnx --out model.onnx`: the trained network of a run as an
/// ONNX model for inference, and beside it `<out>.sample.npz` with test samples and FusionNAS's own
/// logits for them, so that any runtime can be checked against this one.
enum ExportCommand {
    static let format = OptionSpec(
        name: "format", kind: .choice(["onnx"]), default: .string("onnx"), help: "Model format (ONNX, opset 17).")
    static let out = OptionSpec(
        name: "out", kind: .path(placeholder: "FILE", example: "model.onnx"),
        defaultDescription: "RUN_DIR/model.onnx (supervised: RUN_DIR/supervised-model.onnx)",
        help: "Where to write the model; the samples go beside it as <name>.sample.npz.")
    static let method = OptionSpec(
        name: "method", kind: .choice(["ssl", "supervised"]), default: .string("ssl"),
        help: "Which trained network: the self-supervised pipeline's fine-tuned one (weights.safetensors) or the supervised baseline (supervised-weights.safetensors, from run).")
    static let samples = OptionSpec(
        name: "samples", kind: .int(minimum: 1), default: .int(16),
        help: "Samples in the .sample.npz (test split first, then validation and training samples if it is smaller).")

    static let command = Command(
        name: "export",
        summary: "Write a run's trained network as an ONNX model (opset 17) with sample inputs and FusionNAS's logits beside it.",
        discussion: """
            Reads RUN_DIR's config.json, genotype and weights (from run, finetune or evaluate), rebuilds the \
            network as evaluate does and writes it for inference: the encoders, the found cells and the head, \
            BatchNorm with its running statistics, dropout removed. One input per modality tensor, named after \
            the modality (a multi-level precomputed modality gives NAME.0, NAME.1, ...), each (batch, sample \
            shape...) with a dynamic batch axis and standardised as FusionNAS standardises it (statistics of the \
            training split); one output, logits (batch, outputs). metadata_props holds the genotype (JSON), the \
            FusionNAS version, the method and the input names. A primitive or encoder without an ONNX lowering \
            (a plugin's) is refused with its name.
            """,
        options: [format, out, method, samples, CommonOptions.threads, CommonOptions.plugin, CommonOptions.quiet],
        positionals: [PositionalSpec(name: "RUN_DIR", help: "a run directory, e.g. runs/first")],
        run: { given in try execute(given) })

    /// Every option a training command may have saved in config.json.
    static var savedConfigurationSpecs: [OptionSpec] {
        var seen = Set<String>()
        let all = [RunCommand.command, StageCommands.search, StageCommands.pretrain, StageCommands.finetune, StageCommands.evaluate]
            .flatMap(\.options)
        return all.filter { seen.insert($0.name).inserted }
    }

    static func execute(_ given: OptionValues) throws {
        let runURL = URL(fileURLWithPath: given.positionals[0], isDirectory: true)
        let saved = runURL.appendingPathComponent(RunDirectory.File.config.rawValue)
        guard FileManager.default.fileExists(atPath: saved.path) else {
            throw UsageError("\(runURL.path) has no \(RunDirectory.File.config.rawValue); give the directory of a run, finetune or evaluate")
        }
        var arguments = ["--config", saved.path]
        for plugin in given.list("plugin") { arguments += ["--plugin", plugin] }
        guard case .values(let options) = try ArgumentParser(specs: savedConfigurationSpecs).parse(arguments) else {
            throw UsageError("cannot read the saved configuration \(saved.path)")
        }
        if let threads = given.optionalInt("threads") { Threading.setThreads(threads) }
        let supervised = given.string(method.name) == "supervised"
        let prefix = supervised ? "supervised-" : ""
        let genotypeURL = runURL.appendingPathComponent(prefix + RunDirectory.File.genotype.rawValue)
        let weightsURL = runURL.appendingPathComponent(prefix + "weights.safetensors")
        for url in [genotypeURL, weightsURL] where !FileManager.default.fileExists(atPath: url.path) {
            throw UsageError(
                "\(runURL.path) has no \(url.lastPathComponent)"
                    + (supervised ? "; --method supervised needs a directory made by run" : "; export reads the weights of run, finetune or evaluate"))
        }

        let configuration = try PipelineOptions.configuration(options, epochs: nil)
        let registry = try Session.makeRegistry(options)
        let pipeline = FusionPipeline(configuration: configuration, registry: registry, data: try PreparedData.load(configuration))
        let genotype = try Genotype.load(from: genotypeURL)
        let network = try StageCommands.buildNetwork(pipeline, genotype: genotype, withHead: true)
        let (tensors, _) = try Safetensors.read(from: weightsURL)
        do { try network.loadState(tensors, strict: false) } catch {
            throw ComponentError(.doesNotFit, "\(weightsURL.path) does not fit the network of this genotype and configuration: \(error)")
        }
        let missing = network.namedTensors().filter { tensors[$0.name] == nil }.map(\.name)
        guard missing.isEmpty else {
            throw ComponentError(
                .doesNotFit,
                missing.allSatisfy { $0.hasPrefix("head.") }
                    ? "\(weightsURL.path) has no task head (pretrained weights?); export a run, finetune or evaluate directory"
                    : "\(weightsURL.path) lacks \(missing.count) tensors of this network (first: \(missing[0]))")
        }
        network.eval()

        // The samples: test split first.
        let split = pipeline.data.split
        let indices = Array((split.test + split.validation + split.train).prefix(given.int(samples.name)))
        let inputs = pipeline.data.source.batch(indices, withLabels: false).inputs
        let logits = withoutGrad { network(inputs) }
        let names = pipeline.data.source.modalityNames
        let specs = zip(names, inputs).map { name, tensors in
            tensors.enumerated().map { k, t in
                ONNXInputSpec(name: tensors.count == 1 ? name : "\(name).\(k)", sampleShape: Array(t.shape.dropFirst()))
            }
        }

        let metadata: [(key: String, value: String)] = [
            ("genotype", String(decoding: try genotype.jsonData(), as: UTF8.self)),
            ("fusionnas_version", CoreBuild.coreVersion),
            ("method", supervised ? "supervised" : "ssl"),
            ("inputs", specs.flatMap { $0 }.map(\.name).joined(separator: ",")),
            ("output", "logits"),
        ]
        let model: ONNXModel
        do {
            model = try network.onnxModel(inputs: specs, producerVersion: CoreBuild.coreVersion, metadata: metadata)
        } catch let error as ONNXExportError {
            throw ComponentError("cannot export \(runURL.path) as ONNX: \(error)")
        }
        let target = given.url(out.name) ?? runURL.appendingPathComponent(prefix + "model.onnx")
        try AtomicFile.write(Data(model.serialized()), to: target)
        let sampleURL = samplePath(for: target)
        var arrays: [(name: String, array: NPYArray)] = []
        for (spec, tensor) in zip(specs.flatMap { $0 }, inputs.flatMap { $0 }) {
            arrays.append((spec.name, NPYArray(shape: tensor.shape, floats: tensor.scalars)))
        }
        arrays.append(("expected_output", NPYArray(shape: logits.shape, floats: logits.scalars)))
        try NPZWriter.write(arrays, to: sampleURL.path)
        if !given.flag("quiet") {
            print("wrote \(target.path) (\(genotype))\nwrote \(sampleURL.path) (\(indices.count) samples and expected_output)")
        }
    }

    /// `dir/model.onnx` -> `dir/model.sample.npz`.
    static func samplePath(for model: URL) -> URL {
        model.deletingPathExtension().appendingPathExtension("sample.npz")
    }
}

extension Tensor {
    fileprivate var scalars: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }
}
