import FusionNAS
import Tensors

/// Genotypes that are not found by a search, to read a search's result against: a uniform random
/// draw from the same space, and a fixed late-fusion network.
public enum ReferenceGenotypes {
    /// A genotype drawn uniformly from what the space's derivation can return, each step a pair of
    /// distinct cell-local nodes and one primitive other than `excluded`. In `fusionnas`
    /// (``FusionNASSupernet/deriveGenotype()``) each cell reads a pair of distinct nodes not read as
    /// a pair by an earlier cell (while such a pair is left); in `bmnas`
    /// (``BMNASReferenceSupernet/deriveGenotype()``) a pair of input nodes in index order, one of
    /// which no earlier cell reads (while such a pair is left).
    ///
    /// - Parameters:
    ///   - searchSpace: the space whose genotypes are drawn (`fusionnas` or `bmnas`).
    ///   - excluded: primitives a derived genotype never holds (BM-NAS's `zero`).
    public static func random(
        _ configuration: SearchSpaceConfiguration, searchSpace: String = FusionNASSearchSpace.name,
        excluded: Set<String> = ["zero"], rng: inout SeededGenerator
    ) -> Genotype {
        let reference = searchSpace == BMNASReferenceSearchSpace.name
        let primitives = configuration.primitives.filter { !excluded.contains($0) }
        precondition(!primitives.isEmpty, "ReferenceGenotypes.random: no primitive left after excluding \(excluded.sorted())")
        var usedPairs: [Set<Int>] = []
        var readNodes = Set<Int>()
        var cells: [CellGenotype] = []
        for k in 0..<configuration.cells {
            let chosen: [Int]
            if reference {
                let pairs = orderedDistinctPairs(configuration.inputNames.count).filter { $0[0] < $0[1] }
                let fresh = pairs.filter { !readNodes.isSuperset(of: $0) }
                chosen = pick(fresh.isEmpty ? pairs : fresh, &rng)
            } else {
                let pairs = orderedDistinctPairs(configuration.inputNames.count + k)
                let fresh = pairs.filter { !usedPairs.contains(Set($0)) }
                chosen = pick(fresh.isEmpty ? pairs : fresh, &rng)
            }
            usedPairs.append(Set(chosen))
            readNodes.formUnion(chosen)
            let steps = (0..<configuration.steps).map { s in
                StepGenotype(inputs: pick(orderedDistinctPairs(2 + s), &rng), primitive: pick(primitives, &rng))
            }
            cells.append(CellGenotype(inputs: chosen, steps: steps))
        }
        return Genotype(searchSpace: searchSpace, inputs: configuration.inputNames, cells: cells, structure: structure(configuration))
    }

    /// Late fusion by concatenation: cell 0 is `concat_fc` of the top (last) feature level of the
    /// first two modalities; each later cell is `concat_fc` of the previous cell and the top level of
    /// the next modality, round-robin. Inside a cell, step 0 reads the cell's two inputs and each
    /// later step the previous step and the cell's first input.
    ///
    /// Input nodes are named `modality.level` (as the pipeline names them).
    /// Both BM-NAS spaces build it (`searchSpace`), though `bmnas`'s search never derives a cell
    /// that reads another.
    public static func lateFusion(
        _ configuration: SearchSpaceConfiguration, searchSpace: String = FusionNASSearchSpace.name,
        primitive: String = "concat_fc"
    ) -> Genotype {
        let names = configuration.inputNames
        var topLevel: [String: Int] = [:]
        var modalities: [String] = []
        for (index, name) in names.enumerated() {
            let modality = name.split(separator: ".").dropLast().joined(separator: ".")
            if topLevel[modality] == nil { modalities.append(modality) }
            topLevel[modality] = index
        }
        let tops = modalities.map { topLevel[$0]! }
        precondition(tops.count >= 2, "ReferenceGenotypes.lateFusion: needs two modalities, got \(modalities)")
        let steps = (0..<configuration.steps).map { s in
            StepGenotype(inputs: s == 0 ? [0, 1] : [2 + s - 1, 0], primitive: primitive)
        }
        let cells = (0..<configuration.cells).map { k in
            CellGenotype(
                inputs: k == 0 ? [tops[0], tops[1]] : [names.count + k - 1, tops[(k + 1) % tops.count]], steps: steps)
        }
        return Genotype(searchSpace: searchSpace, inputs: names, cells: cells, structure: structure(configuration))
    }

    /// The configuration's structure switches, which a drawn or fixed genotype is read against in
    /// the same study as a searched one (nil when none is chosen, as in `bmnas`).
    static func structure(_ configuration: SearchSpaceConfiguration) -> NetworkStructure? {
        configuration.choosesStructure ? configuration.networkStructure : nil
    }

    static func orderedDistinctPairs(_ count: Int) -> [[Int]] {
        (0..<count).flatMap { i in (0..<count).filter { $0 != i }.map { [i, $0] } }
    }

    static func pick<T>(_ items: [T], _ rng: inout SeededGenerator) -> T {
        items[Int(rng.next() % UInt64(items.count))]
    }
}
