import BMNAS
import FusionNAS
import Layers
import ONNXWriter
import Tensors
import TestSupport
import Testing

/// A `fusionnas` network built with switched structure (``NetworkStructure``) exports to ONNX as
/// it computes: its graph, run by ``ONNXReferenceEvaluator``, against its own forward pass in
/// evaluation mode, with the inputs of `BMNASReferenceExportTests` (a 2-D image level max-pooled
/// with overlapping windows, a sequence, a vector) and one and two steps per cell.
@Suite struct NetworkStructureExportTests {
    static let shapes = BMNASReferenceExportTests.shapes
    static let names = BMNASReferenceExportTests.names

    @Test(arguments: [(1, CellOutput.reference), (2, .reference), (2, .perStep)])
    func loweredSwitchedBodyComputesTheNetworksOutput(steps: Int, cellOutput: CellOutput) throws {
        var genotype = BMNASReferenceExportTests.genotype(steps: steps)
        genotype.searchSpace = "fusionnas"
        genotype.structure = NetworkStructure(inputPooling: .maximum, cellOutput: cellOutput)
        var rng = SeededGenerator(seed: 7)
        let configuration = SearchSpaceConfiguration(
            inputNames: Self.names, inputShapes: Self.shapes, channels: 4, length: 9, cells: 2, steps: steps,
            primitives: BMNASComponents.referencePrimitives)
        let body = try FusionNASSearchSpace().makeNetwork(
            genotype: genotype, configuration: configuration, registry: bmnasRegistry(), rng: &rng)
        let module = try #require(body as? Module)
        // Training-mode passes move the running statistics the evaluation-mode output uses.
        module.train(true)
        for _ in 0..<3 { _ = body(Self.shapes.map { BMNASReferenceExportTests.random([5, $0.channels, $0.length], &rng) }) }
        module.eval()
        let inputs = Self.shapes.map { BMNASReferenceExportTests.random([3, $0.channels, $0.length], &rng) }
        let expected = withoutGrad { body(inputs) }

        let g = ONNXGraphBuilder(name: "switched-body")
        let names = zip(Self.names, Self.shapes).map { name, shape in
            g.input(name, shape: [.symbolic("batch"), .fixed(shape.channels), .fixed(shape.length)])
        }
        let out = try #require(body as? ONNXLowerableBody).lowerONNX(g, inputs: names, prefix: "body")
        g.output(out, as: "fused", shape: [.symbolic("batch"), .fixed(body.outputChannels), .fixed(body.outputLength)])
        #expect(g.graph.nodes.contains { $0.opType == "ReduceMax" }, "the reshapers max-pool")
        // Per step one LayerNormalization, or one per cell; BatchNormalization closes a
        // reference cell of two steps.
        let norms = g.graph.nodes.filter { $0.opType == "LayerNormalization" }.count
        let primitiveNorms = 1  // scale_dot_attn's own, in cell 0
        #expect(norms == (cellOutput == .perStep ? 2 * steps : 2) + primitiveNorms)

        let feeds = Dictionary(uniqueKeysWithValues: zip(Self.names, inputs).map { name, x in
            (name, ONNXReferenceEvaluator.Value(shape: x.shape, data: x.values.map(Double.init)))
        })
        let fused = try #require(try ONNXReferenceEvaluator(graph: g.graph).run(feeds)["fused"])
        #expect(fused.shape == expected.shape)
        let scale = max(1, expected.values.map { abs(Double($0)) }.max() ?? 0)
        let worst = zip(fused.data, expected.values).map { abs($0 - Double($1)) }.max() ?? .infinity
        #expect(worst <= 1e-4 * scale, "max |ONNX - forward| = \(worst) (output scale \(scale))")
    }
}
