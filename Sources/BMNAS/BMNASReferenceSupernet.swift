import Foundation
import FusionNAS
import Layers
import Tensors

/// BM-NAS's architecture parameters as its code lays them out, one row per choice, each row its own
/// softmax (models/search/darts/model_search.py `_initialize_alphas`, node_search.py
/// `_initialize_betas` / `_initialize_gammas`), every entry initialised 1e-3 · N(0, 1):
///
/// - alphas[k]: (inputs + k, 2), cell k's edges from the input nodes and earlier cells, each over
///   {zero, identity} (`PRIMITIVES`);
/// - betas[k]: (Σ_m (2 + m), 2), the edges of cell k's steps, step m's from the cell's two inputs and
///   its earlier steps, each over {zero, identity} (`STEP_EDGE_PRIMITIVES`);
/// - gammas[k]: (steps, primitives), each step's primitive mixture (`STEP_STEP_PRIMITIVES`).
final class ReferenceArchitectureParameters: Module, @unchecked Sendable {
    let alphas: [Tensor]
    let betas: [Tensor]
    let gammas: [Tensor]
    /// The option whose softmax weight is zeroed (perturbation-based selection), or nil.
    var removedOption: ArchitectureOption?

    init(inputs: Int, cells: Int, steps: Int, primitives: Int, rng: inout SeededGenerator) {
        let stepEdges = (0..<steps).map { 2 + $0 }.reduce(0, +)
        alphas = (0..<cells).map { k in Tensor.randn([inputs + k, 2], std: 1e-3, rng: &rng).requiringGrad() }
        betas = (0..<cells).map { _ in Tensor.randn([stepEdges, 2], std: 1e-3, rng: &rng).requiringGrad() }
        gammas = (0..<cells).map { _ in Tensor.randn([steps, primitives], std: 1e-3, rng: &rng).requiringGrad() }
        super.init()
    }

    var all: [Tensor] { alphas + betas + gammas }

    /// The choice names of cell k's edges, of its step edges and of its step primitives, in row order.
    static func edgeNames(cell k: Int, count: Int) -> [String] { (0..<count).map { "cell\(k).edge\($0)" } }
    static func stepEdgeNames(cell k: Int, steps: Int) -> [String] {
        (0..<steps).flatMap { m in (0..<(2 + m)).map { "cell\(k).step\(m).edge\($0)" } }
    }
    static func primitiveNames(cell k: Int, steps: Int) -> [String] { (0..<steps).map { "cell\(k).step\($0).primitive" } }
}

/// BM-NAS's supernet as its code builds it (``BMNASReferenceSearchSpace``): input reshaping, then
/// N cells whose edges are each their own {zero, identity} mixture, summed, feeding the same sum
/// as both inputs of the cell's step node.
///
/// Output: the cells' outputs concatenated on the channel axis, (batch, N · C, L); BM-NAS's head
/// (LayerNorm over [N · C, L], ReLU, flatten, linear) is ``MultimodalNetwork``'s.
public final class BMNASReferenceSupernet: Module, PerturbableSupernet, @unchecked Sendable {
    let reshapers: [InputReshaper]
    let cells: [ReferenceSearchCell]
    let architecture: ReferenceArchitectureParameters
    let configuration: SearchSpaceConfiguration

    public var outputChannels: Int { configuration.channels * configuration.cells }
    public var outputLength: Int { configuration.length }
    public var architectureParameters: [Tensor] { architecture.all }
    public var removedOption: ArchitectureOption? {
        get { architecture.removedOption }
        set { architecture.removedOption = newValue }
    }

    init(_ configuration: SearchSpaceConfiguration, registry: ComponentRegistry, rng: inout SeededGenerator) throws {
        let space = BMNASReferenceSearchSpace.name
        try FusionNASSearchSpace.validate(configuration, space: space)
        self.configuration = configuration
        reshapers = configuration.inputShapes.map {
            InputReshaper(
                inChannels: $0.channels, inputLength: $0.length, channels: configuration.channels,
                length: configuration.length, vectorLevels: configuration.vectorLevels, pooling: .maximum,
                inputRows: $0.rows, dropout: configuration.dropout, rng: &rng)
        }
        let factories = try configuration.primitives.map { try registry.primitive(named: $0) }
        let primitiveConfiguration = PrimitiveConfiguration(
            channels: configuration.channels, length: configuration.length, dropout: configuration.dropout)
        var cells: [ReferenceSearchCell] = []
        for _ in 0..<configuration.cells {
            let primitives = try (0..<configuration.steps).map { _ in
                try factories.map { try $0.make(primitiveConfiguration, &rng) }
            }
            cells.append(ReferenceSearchCell(primitives: primitives, configuration: configuration, rng: &rng))
        }
        try CellChain.requireNonZero(cells.first?.primitives.first, configuration: configuration, space: space)
        self.cells = cells
        architecture = ReferenceArchitectureParameters(
            inputs: configuration.inputShapes.count, cells: configuration.cells, steps: configuration.steps,
            primitives: factories.count, rng: &rng)
        super.init()
    }

    public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
        let m = configuration.steps
        let nodes = CellChain.reshaped(inputs, by: reshapers, network: "BMNASReferenceSupernet", names: configuration.inputNames)
        return CellChain.run(nodes, cells: cells.count) { k, nodes in
            let removed = architecture.removedOption
            let edges = softmaxWithout(
                removed, architecture.alphas[k], names: ReferenceArchitectureParameters.edgeNames(cell: k, count: nodes.count))
            // FusionCell.forward: sum over every predecessor of its {zero, identity} mixture; the
            // zero option contributes nothing, so only the identity weights are applied.
            let input = Tensor.weightedSum(weights: identityColumn(edges), terms: nodes)
            return cells[k](
                input, input,
                edgeWeights: identityColumn(softmaxWithout(
                    removed, architecture.betas[k], names: ReferenceArchitectureParameters.stepEdgeNames(cell: k, steps: m))),
                primitiveWeights: softmaxWithout(
                    removed, architecture.gammas[k], names: ReferenceArchitectureParameters.primitiveNames(cell: k, steps: m)))
        }
    }

    /// The identity option's weight of every edge: column 1 of (edges, 2).
    func identityColumn(_ weights: Tensor) -> Tensor {
        weights.slice(axis: 1, start: 1, end: 2).reshaped([weights.shape[0]])
    }

    /// Each step's primitive mixture.
    public var operationChoices: [String] {
        (0..<configuration.cells).flatMap { ReferenceArchitectureParameters.primitiveNames(cell: $0, steps: configuration.steps) }
    }

    /// Every choice's softmax: `cellK.edgeJ` and `cellK.stepM.edgeJ` as [zero, identity],
    /// `cellK.stepM.primitive` over the configured primitives.
    public func architectureWeights() -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        let m = configuration.steps
        for k in 0..<configuration.cells {
            let rows = [
                (architecture.alphas[k], ReferenceArchitectureParameters.edgeNames(cell: k, count: configuration.inputShapes.count + k)),
                (architecture.betas[k], ReferenceArchitectureParameters.stepEdgeNames(cell: k, steps: m)),
                (architecture.gammas[k], ReferenceArchitectureParameters.primitiveNames(cell: k, steps: m)),
            ]
            for (parameter, names) in rows {
                for (name, weights) in zip(names, FusionNASSupernet.rowSoftmax(parameter)) { result[name] = weights }
            }
        }
        return result
    }

    public func deriveGenotype() -> Genotype { deriveGenotype(fromScores: architectureWeights()) }

    /// BM-NAS's `genotype()` (model_search.py, "sample strategy v3") and `node_genotype()`
    /// (node_search.py) on any non-negative option scores:
    ///
    /// - cell k reads a pair (i, j), i < j, of **input nodes** (never an earlier cell, although the
    ///   supernet has those edges) of which at least one no earlier cell reads, the pair with the
    ///   largest product of the two edges' identity weights; inputs in index order;
    /// - step m reads the two of its edges with the largest identity weights, the stronger first,
    ///   and the primitive with the largest weight (Zero excluded, should it be configured).
    ///
    /// Where BM-NAS's code fails (every input node already read: its list of pairs is empty and it
    /// raises an IndexError), any pair of input nodes is allowed. With
    /// ``SearchSpaceConfiguration/readsEveryModality`` a cell prefers the strongest allowed pair that
    /// reads enough of the modalities no cell reads yet (this project's rule; BM-NAS has none).
    public func deriveGenotype(fromScores weights: [String: [Float]]) -> Genotype {
        let inputCount = configuration.inputShapes.count
        let zeroNames = Set(configuration.primitives.enumerated().filter { i, _ in
            cells.first?.primitives.first?[i].isZero ?? false
        }.map(\.element))
        let modalityOf = configuration.inputNames.map(FusionNASSupernet.modality(of:))
        let modalities = Set(modalityOf)
        var selected = Set<Int>(), read = Set<String>()
        var cellGenotypes: [CellGenotype] = []
        for k in 0..<configuration.cells {
            let identity = (0..<inputCount).map { weights["cell\(k).edge\($0)"]![1] }
            var pairs: [(Int, Int, Float)] = []
            for i in 0..<inputCount { for j in (i + 1)..<max(i + 1, inputCount) { pairs.append((i, j, identity[i] * identity[j])) } }
            let fresh = pairs.filter { !selected.contains($0.0) || !selected.contains($0.1) }
            var candidates = fresh.isEmpty ? pairs : fresh
            if configuration.readsEveryModality {
                let unread = modalities.subtracting(read)
                let needed = max(0, unread.count - 2 * (configuration.cells - k - 1))
                let covering = candidates.filter { Set([modalityOf[$0.0], modalityOf[$0.1]]).intersection(unread).count >= needed }
                if !covering.isEmpty { candidates = covering }
            }
            // The first of the strongest, as Python's stable sort by -score keeps it.
            let chosen = candidates.reduce(candidates[0]) { best, pair in pair.2 > best.2 ? pair : best }
            selected.formUnion([chosen.0, chosen.1])
            read.formUnion([modalityOf[chosen.0], modalityOf[chosen.1]])
            var steps: [StepGenotype] = []
            for m in 0..<configuration.steps {
                let edges = (0..<(2 + m)).map { weights["cell\(k).step\(m).edge\($0)"]![1] }
                let strongest = edges.indices.sorted { edges[$0] != edges[$1] ? edges[$0] > edges[$1] : $0 < $1 }
                let g = weights["cell\(k).step\(m).primitive"]!
                let best = g.indices.filter { !zeroNames.contains(configuration.primitives[$0]) }
                    .reduce(nil as Int?) { best, i in best.map { g[i] > g[$0] ? i : $0 } ?? i } ?? 0
                steps.append(StepGenotype(inputs: Array(strongest.prefix(2)), primitive: configuration.primitives[best]))
            }
            cellGenotypes.append(CellGenotype(inputs: [chosen.0, chosen.1], steps: steps))
        }
        return Genotype(searchSpace: BMNASReferenceSearchSpace.name, inputs: configuration.inputNames, cells: cellGenotypes)
    }
}

/// One supernet cell of BM-NAS's code: its step node (`FusionNode` / `NodeCell` in
/// node_search.py) on the cell's two inputs, which the supernet passes as the same sum.
final class ReferenceSearchCell: Module, @unchecked Sendable {
    /// primitives[m]: step m's mixture (`NodeMixedOp`).
    let primitives: [[any FusionPrimitive]]
    let output: ReferenceCellOutput

    init(primitives: [[any FusionPrimitive]], configuration: SearchSpaceConfiguration, rng: inout SeededGenerator) {
        self.primitives = primitives
        output = ReferenceCellOutput(
            steps: primitives.count, channels: configuration.channels, length: configuration.length,
            dropout: configuration.dropout, rng: &rng)
        super.init()
    }

    /// `edgeWeights`: the identity weight of every step edge, step by step (Σ_m (2 + m));
    /// `primitiveWeights`: (steps, primitives).
    func callAsFunction(_ x: Tensor, _ y: Tensor, edgeWeights: Tensor, primitiveWeights: Tensor) -> Tensor {
        var states = [x, y]
        var offset = 0
        for (m, mixture) in primitives.enumerated() {
            let weights = edgeWeights.slice(axis: 0, start: offset, end: offset + states.count)
            offset += states.count
            let t = Tensor.weightedSum(weights: weights, terms: states)
            // NodeMixedOp on (t, t): BM-NAS's step sees its summed edges as both operands.
            let outputs: [Tensor?] = mixture.map { $0.isZero ? nil : $0([t, t]) }
            states.append(Tensor.weightedSum(weights: primitiveWeights.row(m), terms: outputs))
        }
        return output(steps: Array(states[2...]), first: x)
    }
}
