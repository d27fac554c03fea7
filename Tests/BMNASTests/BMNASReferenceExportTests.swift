import BMNAS
import FusionNAS
import Layers
import ONNXWriter
import Tensors
import TestSupport
import Testing

/// The `bmnas` network's ONNX lowering computes what the network computes in evaluation mode:
/// its graph, run by ``ONNXReferenceEvaluator``, against its own forward pass. The inputs cover
/// every reshaping (an image level max-pooled in 2-D with overlapping windows of varying size, a
/// sequence pooled along its length, a vector expanded), the four step primitives, a cell reading
/// an earlier cell, and cells with one step (no projection) and with two (concatenation, conv,
/// BatchNorm, ReLU). BatchNorm's running statistics are moved away from (0, 1) first, so a
/// lowering that normalised with anything else would show. ONNX Runtime checks the exported
/// file end to end in `ONNXExportTests` and `BMNASReferenceRunTests`.
@Suite struct BMNASReferenceExportTests {
    /// img: a 5 x 7 map pooled to 3 x 3; seq: length 10 pooled to 9; vec: length 1.
    static let shapes = [
        FeatureLevelShape(channels: 3, length: 35, rows: 5), FeatureLevelShape(channels: 2, length: 10),
        FeatureLevelShape(channels: 4, length: 1),
    ]
    static let names = ["img.0", "seq.0", "vec.0"]

    static func genotype(steps: Int) -> Genotype {
        let first = [StepGenotype(inputs: [0, 1], primitive: "scale_dot_attn"), StepGenotype(inputs: [2, 0], primitive: "linear_glu")]
        let second = [StepGenotype(inputs: [1, 0], primitive: "concat_fc"), StepGenotype(inputs: [2, 1], primitive: "sum")]
        return Genotype(
            searchSpace: "bmnas", inputs: names,
            cells: [
                CellGenotype(inputs: [0, 1], steps: Array(first.prefix(steps))),
                CellGenotype(inputs: [2, 3], steps: Array(second.prefix(steps))),
            ])
    }

    static func random(_ shape: [Int], _ rng: inout SeededGenerator) -> Tensor {
        Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in Float(rng.next() % 2001) / 1000 - 1 })
    }

    @Test(arguments: [1, 2])
    func loweredBodyComputesTheNetworksOutput(steps: Int) throws {
        var rng = SeededGenerator(seed: 7)
        let configuration = SearchSpaceConfiguration(
            inputNames: Self.names, inputShapes: Self.shapes, channels: 4, length: 9, cells: 2, steps: steps,
            primitives: BMNASComponents.referencePrimitives)
        let body = try BMNASReferenceSearchSpace().makeNetwork(
            genotype: Self.genotype(steps: steps), configuration: configuration, registry: bmnasRegistry(), rng: &rng)
        let graph = try Self.expectLoweringMatchesForwardPass(body, name: "bmnas-body", rng: &rng)
        #expect(!graph.nodes.contains { $0.opType == "Dropout" })
        #expect(graph.nodes.contains { $0.opType == "ReduceMax" }, "the reshapers max-pool")
    }

    /// Runs `body` on these inputs in evaluation mode (after three training-mode passes, which move
    /// BatchNorm's running statistics away from (0, 1)), lowers it to ONNX and expects the graph,
    /// run by ``ONNXReferenceEvaluator``, to give the same output within 1e-4 of its scale. Returns
    /// the graph for checks of its nodes.
    static func expectLoweringMatchesForwardPass(
        _ body: any FusionBody, name: String, rng: inout SeededGenerator
    ) throws -> ONNXGraph {
        body.train(true)
        for _ in 0..<3 { _ = body(shapes.map { random([5, $0.channels, $0.length], &rng) }) }
        body.eval()
        let inputs = shapes.map { random([3, $0.channels, $0.length], &rng) }
        let expected = withoutGrad { body(inputs) }

        let g = ONNXGraphBuilder(name: name)
        let inputNames = zip(names, shapes).map { name, shape in
            g.input(name, shape: [.symbolic("batch"), .fixed(shape.channels), .fixed(shape.length)])
        }
        let out = try #require(body as? ONNXLowerableBody).lowerONNX(g, inputs: inputNames, prefix: "body")
        g.output(out, as: "fused", shape: [.symbolic("batch"), .fixed(body.outputChannels), .fixed(body.outputLength)])

        let feeds = Dictionary(uniqueKeysWithValues: zip(names, inputs).map { name, x in
            (name, ONNXReferenceEvaluator.Value(shape: x.shape, data: x.values.map(Double.init)))
        })
        let fused = try #require(try ONNXReferenceEvaluator(graph: g.graph).run(feeds)["fused"])
        #expect(fused.shape == expected.shape)
        let scale = max(1, expected.values.map { abs(Double($0)) }.max() ?? 0)
        let worst = zip(fused.data, expected.values).map { abs($0 - Double($1)) }.max() ?? .infinity
        #expect(worst <= 1e-4 * scale, "max |ONNX - forward| = \(worst) (output scale \(scale))")
        return g.graph
    }

    /// The whole model (vector encoders, body, representation norm, head) as `fusion-nas export`
    /// writes it: named inputs, `logits`, and the network's own logits.
    @Test func exportedModelComputesTheNetworksLogits() throws {
        var rng = SeededGenerator(seed: 1)
        let encoders: [any ModalityEncoder] = try ["a", "b"].map { name in
            try VectorEncoder(EncoderConfiguration(modality: name, sampleShape: [3], levels: 2, width: 4), rng: &rng)
        }
        let names = ["a.0", "a.1", "b.0", "b.1"]
        let configuration = SearchSpaceConfiguration(
            inputNames: names, inputShapes: encoders.flatMap(\.levelShapes), channels: 4, length: 4, cells: 2, steps: 2,
            primitives: BMNASComponents.referencePrimitives)
        let genotype = Genotype(
            searchSpace: "bmnas", inputs: names,
            cells: [
                CellGenotype(inputs: [1, 3], steps: [
                    StepGenotype(inputs: [1, 0], primitive: "linear_glu"), StepGenotype(inputs: [0, 2], primitive: "scale_dot_attn"),
                ]),
                CellGenotype(inputs: [0, 2], steps: [
                    StepGenotype(inputs: [0, 1], primitive: "sum"), StepGenotype(inputs: [2, 1], primitive: "concat_fc"),
                ]),
            ])
        let body = try BMNASReferenceSearchSpace().makeNetwork(
            genotype: genotype, configuration: configuration, registry: bmnasRegistry(), rng: &rng)
        let network = MultimodalNetwork(encoders: encoders, body: body)
        network.attachHead(outputs: 3, rng: &rng)
        network.train(true)
        for _ in 0..<3 { _ = network([[Self.random([6, 3], &rng)], [Self.random([6, 3], &rng)]]) }
        network.eval()
        let inputs = [[Self.random([4, 3], &rng)], [Self.random([4, 3], &rng)]]
        let expected = withoutGrad { network(inputs) }

        let model = try network.onnxModel(
            inputs: [[ONNXInputSpec(name: "a", sampleShape: [3])], [ONNXInputSpec(name: "b", sampleShape: [3])]],
            producerVersion: "test", metadata: [])
        #expect(model.graph.inputs.map(\.name) == ["a", "b"])
        let feeds = ["a": inputs[0][0], "b": inputs[1][0]].mapValues { x in
            ONNXReferenceEvaluator.Value(shape: x.shape, data: x.values.map(Double.init))
        }
        let logits = try #require(try ONNXReferenceEvaluator(graph: model.graph).run(feeds)["logits"])
        #expect(logits.shape == expected.shape)
        let scale = max(1, expected.values.map { abs(Double($0)) }.max() ?? 0)
        let worst = zip(logits.data, expected.values).map { abs($0 - Double($1)) }.max() ?? .infinity
        #expect(worst <= 1e-4 * scale, "max |ONNX - forward| = \(worst) (output scale \(scale))")
    }
}
