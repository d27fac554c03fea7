import BMNAS
import FusionNAS
import Layers
import ONNXWriter
import Tensors
import TestSupport
import Testing

/// `fusion-nas export` of a `bmnas` network is refused with a message naming the space.
@Suite struct BMNASReferenceExportTests {
    @Test func exportIsRefusedNamingTheSpace() throws {
        var rng = SeededGenerator(seed: 1)
        let encoders: [any ModalityEncoder] = try ["a", "b"].map { name in
            try VectorEncoder(EncoderConfiguration(modality: name, sampleShape: [3], levels: 1, width: 4), rng: &rng)
        }
        let configuration = SearchSpaceConfiguration(
            inputNames: ["a.0", "b.0"], inputShapes: encoders.flatMap(\.levelShapes), channels: 4, length: 4, cells: 1, steps: 1,
            primitives: ["sum"])
        let genotype = Genotype(
            searchSpace: "bmnas", inputs: ["a.0", "b.0"],
            cells: [CellGenotype(inputs: [0, 1], steps: [StepGenotype(inputs: [0, 1], primitive: "sum")])])
        let body = try BMNASReferenceSearchSpace().makeNetwork(
            genotype: genotype, configuration: configuration, registry: bmnasRegistry(), rng: &rng)
        let network = MultimodalNetwork(encoders: encoders, body: body)
        network.attachHead(outputs: 2, rng: &rng)
        network.eval()
        let error = #expect(throws: ONNXExportError.self) {
            try network.onnxModel(
                inputs: [[ONNXInputSpec(name: "a", sampleShape: [3])], [ONNXInputSpec(name: "b", sampleShape: [3])]],
                producerVersion: "test", metadata: [])
        }
        #expect(error?.description.contains("'bmnas' search space") == true, "\(String(describing: error))")
    }
}
