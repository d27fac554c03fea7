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
        let graph = try BMNASReferenceExportTests.expectLoweringMatchesForwardPass(body, name: "switched-body", rng: &rng)
        #expect(graph.nodes.contains { $0.opType == "ReduceMax" }, "the reshapers max-pool")
        // Per step one LayerNormalization, or one per cell; BatchNormalization closes a
        // reference cell of two steps.
        let norms = graph.nodes.filter { $0.opType == "LayerNormalization" }.count
        let primitiveNorms = 1  // scale_dot_attn's own, in cell 0
        #expect(norms == (cellOutput == .perStep ? 2 * steps : 2) + primitiveNorms)
    }
}
