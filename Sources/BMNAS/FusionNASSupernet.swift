import Foundation
import FusionNAS
import Layers
import Tensors

/// The `fusionnas` supernet (this project's BM-NAS-style space; Docs/search-spaces.md): input reshaping,
/// N cells of M steps, every choice a softmax mixture.
///
/// Output: the cells' outputs concatenated on the channel axis, (batch, N * C, L).
public final class FusionNASSupernet: Module, PerturbableSupernet, @unchecked Sendable {
    let reshapers: [InputReshaper]
    let cells: [SearchCell]
    let architecture: ArchitectureParameters
    let configuration: SearchSpaceConfiguration

    public var outputChannels: Int { configuration.channels * configuration.cells }
    public var outputLength: Int { configuration.length }
    public var architectureParameters: [Tensor] { architecture.all }
    public var removedOption: ArchitectureOption? {
        get { architecture.removedOption }
        set { architecture.removedOption = newValue }
    }

    init(_ configuration: SearchSpaceConfiguration, registry: ComponentRegistry, rng: inout SeededGenerator) throws {
        try FusionNASSearchSpace.validate(configuration)
        self.configuration = configuration
        let structure = configuration.networkStructure
        reshapers = configuration.inputShapes.map {
            InputReshaper(
                inChannels: $0.channels, inputLength: $0.length, channels: configuration.channels,
                length: configuration.length, vectorLevels: configuration.vectorLevels,
                pooling: structure.inputPooling, inputRows: $0.rows, dropout: configuration.dropout, rng: &rng)
        }
        let factories = try configuration.primitives.map { try registry.primitive(named: $0) }
        let primitiveConfiguration = PrimitiveConfiguration(
            channels: configuration.channels, length: configuration.length, dropout: configuration.dropout)
        var cells: [SearchCell] = []
        for _ in 0..<configuration.cells {
            var steps: [SearchStep] = []
            for _ in 0..<configuration.steps {
                let primitives = try factories.map { try $0.make(primitiveConfiguration, &rng) }
                steps.append(SearchStep(
                    primitives: primitives, channels: configuration.channels, length: configuration.length,
                    cellOutput: structure.cellOutput))
            }
            cells.append(SearchCell(
                steps: steps, channels: configuration.channels, length: configuration.length,
                cellOutput: structure.cellOutput, dropout: configuration.dropout, rng: &rng))
        }
        try CellChain.requireNonZero(cells.first?.steps.first?.primitives, configuration: configuration, space: FusionNASSearchSpace.name)
        self.cells = cells
        architecture = ArchitectureParameters(
            inputs: configuration.inputShapes.count, cells: configuration.cells, steps: configuration.steps,
            primitives: factories.count, rng: &rng)
        super.init()
    }

    public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
        let m = configuration.steps
        let nodes = CellChain.reshaped(inputs, by: reshapers, network: "FusionNASSupernet", names: configuration.inputNames)
        return CellChain.run(nodes, cells: cells.count) { k, nodes in
            let stepWeights = (0..<m).map { s in
                (inputs: architecture.mixtureWeights(
                    architecture.betas[k * m + s], names: ["cell\(k).step\(s).input0", "cell\(k).step\(s).input1"]),
                 primitives: architecture.mixtureWeights(
                    architecture.gammas[k * m + s], names: ["cell\(k).step\(s).primitive"]))
            }
            return cells[k](
                candidates: nodes,
                inputWeights: architecture.mixtureWeights(
                    architecture.alphas[k], names: ["cell\(k).input0", "cell\(k).input1"]),
                stepWeights: stepWeights)
        }
    }

    /// Softmax of each row of an architecture parameter.
    static func rowSoftmax(_ t: Tensor) -> [[Float]] {
        let rows = t.rank == 1 ? 1 : t.shape[0]
        let n = t.shape[t.rank - 1]
        let v = t.values
        return (0..<rows).map { r in
            let row = v[(r * n)..<(r * n + n)]
            let mx = row.max() ?? 0
            let e = row.map { Foundation.exp($0 - mx) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        }
    }

    /// Each step's primitive mixture.
    public var operationChoices: [String] {
        (0..<configuration.cells).flatMap { k in (0..<configuration.steps).map { "cell\(k).step\($0).primitive" } }
    }

    public func architectureWeights() -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        let m = configuration.steps
        for k in 0..<configuration.cells {
            let a = Self.rowSoftmax(architecture.alphas[k])
            result["cell\(k).input0"] = a[0]
            result["cell\(k).input1"] = a[1]
            for s in 0..<m {
                let b = Self.rowSoftmax(architecture.betas[k * m + s])
                result["cell\(k).step\(s).input0"] = b[0]
                result["cell\(k).step\(s).input1"] = b[1]
                result["cell\(k).step\(s).primitive"] = Self.rowSoftmax(architecture.gammas[k * m + s])[0]
            }
        }
        return result
    }

    /// BM-NAS's derivation: each cell keeps its strongest pair of two distinct inputs (as DARTS keeps
    /// the two strongest edges from distinct predecessors), different from every earlier cell's pair;
    /// each step keeps its strongest pair of distinct inputs and its strongest non-zero primitive.
    /// With ``SearchSpaceConfiguration/readsEveryModality`` a cell whose pair would leave more
    /// modalities unread than the remaining cells can still take in takes its strongest pair that
    /// covers enough of them instead (a step could still ignore one of its cell's inputs).
    /// Steps of a cell may still share inputs with each other.
    ///
    /// Distinct pairs matter because the two mixtures of a symmetric primitive receive the same
    /// gradient and stay nearly equal: taking each argmax alone would fuse an input with itself.
    public func deriveGenotype() -> Genotype { deriveGenotype(fromScores: architectureWeights()) }

    /// The same rules applied to any non-negative option scores (softmax weights, or DARTS-PT's
    /// importance of each option).
    public func deriveGenotype(fromScores weights: [String: [Float]]) -> Genotype {
        let zeroNames = Set(configuration.primitives.enumerated().filter { i, _ in
            cells.first?.steps.first?.primitives[i].isZero ?? false
        }.map(\.element))
        var usedPairs: [Set<Int>] = []
        var cellGenotypes: [CellGenotype] = []
        // The modalities each node reads: an input node its own, a cell the union of its inputs'.
        var nodeModalities = configuration.inputNames.map { Set([Self.modality(of: $0)]) }
        let modalities = nodeModalities.reduce(into: Set<String>()) { $0.formUnion($1) }
        var read = Set<String>()
        for k in 0..<configuration.cells {
            let w0 = weights["cell\(k).input0"]!, w1 = weights["cell\(k).input1"]!
            let pairs = rankedDistinctPairs(w0, w1)
            // Every cell reaches the head, so the later cells can still add 2 modalities each; this
            // one must cover what they cannot.
            let unread = modalities.subtracting(read)
            let needed = configuration.readsEveryModality
                ? max(0, unread.count - 2 * (configuration.cells - k - 1)) : 0
            let covers = { (pair: (Int, Int, Float)) in
                nodeModalities[pair.0].union(nodeModalities[pair.1]).intersection(unread).count >= needed
            }
            let chosen = pairs.first { !usedPairs.contains(Set([$0.0, $0.1])) && covers($0) }
                ?? pairs.first(where: covers) ?? pairs.first { !usedPairs.contains(Set([$0.0, $0.1])) } ?? pairs[0]
            usedPairs.append(Set([chosen.0, chosen.1]))
            nodeModalities.append(nodeModalities[chosen.0].union(nodeModalities[chosen.1]))
            read.formUnion(nodeModalities[chosen.0].union(nodeModalities[chosen.1]))
            var steps: [StepGenotype] = []
            for s in 0..<configuration.steps {
                let b0 = weights["cell\(k).step\(s).input0"]!, b1 = weights["cell\(k).step\(s).input1"]!
                let g = weights["cell\(k).step\(s).primitive"]!
                let best = g.indices.filter { !zeroNames.contains(configuration.primitives[$0]) }
                    .max { g[$0] != g[$1] ? g[$0] < g[$1] : $0 > $1 } ?? 0
                steps.append(StepGenotype(inputs: strongestDistinctPair(b0, b1), primitive: configuration.primitives[best]))
            }
            cellGenotypes.append(CellGenotype(inputs: [chosen.0, chosen.1], steps: steps))
        }
        // The structure searched with, which the found network must be built with too.
        return Genotype(
            searchSpace: FusionNASSearchSpace().name, inputs: configuration.inputNames, cells: cellGenotypes,
            structure: configuration.networkStructure)
    }
}

extension FusionNASSupernet {
    /// The modality of an input node name `modality.level`.
    static func modality(of inputName: String) -> String {
        let parts = inputName.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count > 1 ? parts.dropLast().joined(separator: ".") : inputName
    }
}

/// Pairs (i, j) with i != j ordered by w0[i] * w1[j], strongest first; ties by index so derivation
/// is deterministic.
func rankedDistinctPairs(_ w0: [Float], _ w1: [Float]) -> [(Int, Int, Float)] {
    var pairs: [(Int, Int, Float)] = []
    for i in w0.indices { for j in w1.indices where i != j { pairs.append((i, j, w0[i] * w1[j])) } }
    pairs.sort { $0.2 != $1.2 ? $0.2 > $1.2 : ($0.0, $0.1) < ($1.0, $1.1) }
    return pairs
}

/// The strongest pair of distinct inputs of two mixtures.
func strongestDistinctPair(_ w0: [Float], _ w1: [Float]) -> [Int] {
    let best = rankedDistinctPairs(w0, w1)[0]
    return [best.0, best.1]
}
