import BMNAS
import FusionNAS
import Layers
import ONNXWriter
import Tensors
import Testing

/// A primitive a plugin could register: it has no ONNX lowering.
private final class UnlowerablePrimitive: Module, FusionPrimitive, @unchecked Sendable {
    func callAsFunction(_ inputs: [Tensor]) -> Tensor { inputs[0] * inputs[1] }
}

@Suite struct ONNXLoweringTests {
    func network(primitive: String, registry: ComponentRegistry) throws -> MultimodalNetwork {
        var rng = SeededGenerator(seed: 1)
        let encoders: [any ModalityEncoder] = try ["a", "b"].map { name in
            try VectorEncoder(EncoderConfiguration(modality: name, sampleShape: [3], levels: 1, width: 4), rng: &rng)
        }
        let configuration = SearchSpaceConfiguration(
            inputNames: ["a.0", "b.0"], inputShapes: encoders.flatMap(\.levelShapes), channels: 4, length: 2, cells: 1, steps: 1,
            primitives: [primitive])
        let genotype = Genotype(
            searchSpace: "fusionnas", inputs: ["a.0", "b.0"],
            cells: [CellGenotype(inputs: [0, 1], steps: [StepGenotype(inputs: [0, 1], primitive: primitive)])])
        let body = try FusionNASSearchSpace().makeNetwork(genotype: genotype, configuration: configuration, registry: registry, rng: &rng)
        let network = MultimodalNetwork(encoders: encoders, body: body)
        network.attachHead(outputs: 2, rng: &rng)
        network.eval()
        return network
    }

    let inputs = [[ONNXInputSpec(name: "a", sampleShape: [3])], [ONNXInputSpec(name: "b", sampleShape: [3])]]

    @Test func aPrimitiveWithoutLoweringIsRefusedByName() throws {
        let registry = ComponentRegistry()
        try BMNASComponents.register(in: registry)
        try registry.register(
            primitive: PrimitiveFactory(name: "plugin_product", origin: .plugin("test")) { _, _ in UnlowerablePrimitive() })
        let network = try network(primitive: "plugin_product", registry: registry)
        let error = #expect(throws: ONNXExportError.self) {
            try network.onnxModel(inputs: inputs, producerVersion: "test", metadata: [])
        }
        #expect(error?.description.contains("'plugin_product'") == true)
        #expect(error?.description.contains("no ONNX lowering") == true)
    }

    @Test func builtInNetworkLowersWithNamedInputsAndLogits() throws {
        let registry = ComponentRegistry()
        try BMNASComponents.register(in: registry)
        let model = try network(primitive: "concat_fc", registry: registry)
            .onnxModel(inputs: inputs, producerVersion: "test", metadata: [("genotype", "{}")])
        #expect(model.graph.inputs.map(\.name) == ["a", "b"])
        #expect(model.graph.inputs[0].shape == [.symbolic("batch"), .fixed(3)])
        #expect(model.graph.outputs.map(\.name) == ["logits"])
        #expect(!model.graph.nodes.contains { $0.opType == "Dropout" })
        #expect(model.graph.nodes.contains { $0.opType == "BatchNormalization" })
        #expect(model.opsetVersion == 17)
    }
}
