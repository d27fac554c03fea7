import FusionNAS
import Tensors

/// BM-NAS's search space as its reference code builds and searches it (github.com/Somedaywilldo/BM-NAS,
/// models/search/darts/), registered as `bmnas`. This project's variant is `fusionnas`
/// (``FusionNASSearchSpace``); Docs/search-spaces.md lists the differences.
///
/// - Input nodes: ``InputReshaper`` with ``InputPooling/maximum`` (`ReshapeInputLayer_MMIMDB`).
/// - Cell k (`FusionCell`'s steps in model_search.py): every input node and earlier cell is an edge
///   with its own softmax over {zero, identity}; the edges are summed, and the sum is **both**
///   inputs of the cell's step node (`self._step_nodes[i](s, s)`).
/// - Step node (`NodeCell` in node_search.py): each step sums its edges from the cell's two inputs
///   and earlier steps (each edge again its own {zero, identity} softmax), applies the softmax
///   mixture of the step primitives to (sum, sum); the steps are concatenated, projected by
///   conv + BatchNorm + ReLU + dropout when there is more than one, added to the cell's first input
///   and layer-normalised over [C, L].
/// - Searched with BM-NAS's schedule (``searchDefaults``).
public struct BMNASReferenceSearchSpace: SearchSpace {
    public init() {}
    public var name: String { Self.name }
    /// The registry name.
    public static let name = "bmnas"

    /// BM-NAS's search (main_darts_searchable_mmimdb.py's defaults, models/search/train_searchable/mmimdb.py):
    /// its four step primitives (`STEP_STEP_PRIMITIVES`: no Zero, no low-rank fusion), architecture
    /// Adam at 3e-4, a weight epoch then an architecture pass over the validation split, SGDR with
    /// T_0 1 epoch and T_mult 2 (`--Ti 1 --Tm 2`), no gradient clipping, and the genotype of the
    /// epoch with the best validation score by the largest architecture weights.
    public var searchDefaults: SearchDefaults {
        var defaults = SearchDefaults(
            primitives: BMNASComponents.referencePrimitives, architectureLearningRate: 3e-4,
            alternation: .everyEpoch, weightSchedule: Self.weightSchedule, gradientClip: nil)
        defaults.genotypeSelection = .argmax
        return defaults
    }

    /// BM-NAS's SGDR (`--Ti 1 --Tm 2`): the first period 1 epoch, each next one twice as long;
    /// `--weight-schedule warm-restarts` in any space.
    public static let weightSchedule = WeightSchedule.warmRestarts(firstPeriod: 1, multiplier: 2)

    public func makeSupernet(
        _ configuration: SearchSpaceConfiguration, registry: ComponentRegistry, rng: inout SeededGenerator
    ) throws -> any Supernet {
        try BMNASReferenceSupernet(configuration, registry: registry, rng: &rng)
    }

    public func makeNetwork(
        genotype: Genotype, configuration: SearchSpaceConfiguration, registry: ComponentRegistry,
        rng: inout SeededGenerator
    ) throws -> any FusionBody {
        try BMNASReferenceNetwork(genotype: genotype, configuration: configuration, registry: registry, rng: &rng)
    }
}
