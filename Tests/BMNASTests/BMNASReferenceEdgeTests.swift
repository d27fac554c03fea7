import Foundation
import FusionNAS
import Layers
import TestSupport
import Testing
import Tensors
@testable import BMNAS

/// BM-NAS's edges (models/search/darts/model_search.py `FusionCell.forward`, node_search.py
/// `NodeCell.forward`): every predecessor of a cell or step has its own softmax over {zero, identity},
/// and the predecessors are summed; the sum is both operands of the step's primitives.
@Suite struct BMNASReferenceEdgeTests {
    /// Three input nodes already at (C, L), so reshaping pools nothing.
    static func configuration(primitives: [String] = ["sum"], cells: Int = 1, steps: Int = 1) -> SearchSpaceConfiguration {
        SearchSpaceConfiguration(
            inputNames: ["a.0", "a.1", "b.0"],
            inputShapes: [.init(channels: 3, length: 4), .init(channels: 2, length: 4), .init(channels: 5, length: 4)],
            channels: 4, length: 4, cells: cells, steps: steps, dropout: 0, primitives: primitives)
    }

    static func set(_ t: Tensor, _ values: [Float]) {
        precondition(values.count == t.count)
        for (i, v) in values.enumerated() { t.data[i] = v }
    }

    @Test func everyEdgeIsItsOwnSoftmaxOverZeroAndIdentity() throws {
        var rng = SeededGenerator(seed: 3)
        let supernet = try #require(
            try BMNASReferenceSearchSpace().makeSupernet(Self.configuration(cells: 2, steps: 2), registry: bmnasRegistry(), rng: &rng)
                as? BMNASReferenceSupernet)
        let weights = supernet.architectureWeights()
        // Cell k has an edge from each of the 3 inputs and the k earlier cells; step m of a cell one
        // from each of the cell's 2 inputs and m earlier steps; each edge two options that sum to 1.
        for k in 0..<2 {
            for j in 0..<(3 + k) {
                let w = try #require(weights["cell\(k).edge\(j)"])
                #expect(w.count == 2 && abs(w[0] + w[1] - 1) < 1e-6)
            }
            #expect(weights["cell\(k).edge\(3 + k)"] == nil)
            for m in 0..<2 {
                for j in 0..<(2 + m) { #expect(weights["cell\(k).step\(m).edge\(j)"]?.count == 2) }
                #expect(weights["cell\(k).step\(m).primitive"]?.count == 1)
            }
        }
        #expect(weights["cell0.input0"] == nil, "no slot softmax over the candidates")
    }

    /// With Sum as the only primitive, one cell of one step is LN(2t + s): s = Σ_j σ(α_j)_identity · r_j
    /// (the cell's input, both operands), t = (σ(β_0)_identity + σ(β_1)_identity) · s (the step's
    /// summed edges), Sum(t, t) = 2t, plus the cell's first input s.
    @Test func edgesAreWeightedIndependentlyAndSummed() throws {
        var rng = SeededGenerator(seed: 5)
        let supernet = try #require(
            try BMNASReferenceSearchSpace().makeSupernet(Self.configuration(), registry: bmnasRegistry(), rng: &rng)
                as? BMNASReferenceSupernet)
        supernet.train(false)
        // Identity weights 0.5, 0.75 and 0.2: no softmax across the edges would give these.
        Self.set(supernet.architecture.alphas[0], [0, 0, 0, Float(3.0).logValue, 0, Float(0.25).logValue])
        Self.set(supernet.architecture.betas[0], [0, 0, 0, Float(3.0).logValue])
        let edge = [Float(0.5), 0.75, 0.2], stepEdges = Float(0.5 + 0.75)
        var data = SeededGenerator(seed: 6)
        let inputs = Self.configuration().inputShapes.map { Tensor.randn([2, $0.channels, $0.length], rng: &data) }
        let reshaped = zip(supernet.reshapers, inputs).map { $0($1) }
        let s = zip(edge, reshaped).map { $1 * $0 }.reduce(Tensor.zeros([2, 4, 4]), +)
        let expected = supernet.cells[0].output.norm(s * (2 * stepEdges) + s)
        let out = supernet(inputs)
        let difference = zip(out.values, expected.values).map { abs($0 - $1) }.max() ?? 1
        #expect(difference < 1e-5, "largest difference \(difference)")
    }

    /// Gradients of the edge mixtures, the step node and its output against central differences,
    /// with two steps so that the concatenation's conv, BatchNorm and ReLU take part.
    @Test func supernetGradientsMatchFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 8)
        let supernet = try BMNASReferenceSearchSpace().makeSupernet(
            Self.configuration(primitives: ["sum", "concat_fc", "scale_dot_attn"], cells: 2, steps: 2), registry: bmnasRegistry(), rng: &rng)
        var data = SeededGenerator(seed: 9)
        let inputs = Self.configuration().inputShapes.map { Tensor.randn([3, $0.channels, $0.length], rng: &data).requiringGrad() }
        let result = GradientCheck.run(
            inputs: supernet.parameters() + inputs, epsilon: 1e-3, maxElementsPerInput: 6, toleratesKinks: true
        ) { _ in supernet(inputs) }
        #expect(result.passed, "\(result)")
    }
}

extension Float {
    var logValue: Float { Float(Foundation.log(Double(self))) }
}
