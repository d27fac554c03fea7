import BMNAS
import FusionNAS
import Tensors

/// The `fusionnas` space's cells searched over its three cheapest primitives by default, under its
/// own name `fusionnas_light`: a smaller supernet for quick searches on small data.
///
/// The default primitives are `sum`, `linear_glu` and `concat_fc`: no `scale_dot_attn` or
/// `low_rank_tensor` (the costliest mixtures of the supernet, and the ones with the most weights to
/// fit from few samples) and no `zero` (never derived anyway). `--primitives` still overrides them.
/// Everything else, the schedule included, is `fusionnas`'s.
///
/// It shows how a plugin reuses a built-in space rather than reimplementing cells. The supernet and
/// found networks are `fusionnas`'s, but its genotypes must name this space: the pipeline builds a
/// found network in the space its genotype names, and refuses one whose space is not the space in
/// use. So the supernet is wrapped in a ``RenamedSupernet`` that renames every genotype it derives,
/// and ``makeNetwork(genotype:configuration:registry:rng:)`` renames it back for `fusionnas`.
///
/// ```swift
/// let supernet = try LightSearchSpace().makeSupernet(configuration, registry: registry, rng: &rng)
/// supernet.deriveGenotype().searchSpace   // "fusionnas_light"
/// ```
public struct LightSearchSpace: SearchSpace {
    /// The registry name.
    public static let name = "fusionnas_light"
    /// The primitives searched over unless the user names others.
    public static let primitives = ["sum", "linear_glu", "concat_fc"]

    let base = FusionNASSearchSpace()

    public init() {}

    public var name: String { Self.name }
    public var genotypeSchema: GenotypeSchema { base.genotypeSchema }

    public var searchDefaults: SearchDefaults {
        var defaults = base.searchDefaults
        defaults.primitives = Self.primitives
        return defaults
    }

    public func makeSupernet(
        _ configuration: SearchSpaceConfiguration, registry: ComponentRegistry, rng: inout SeededGenerator
    ) throws -> any Supernet {
        let supernet = try base.makeSupernet(configuration, registry: registry, rng: &rng)
        guard let perturbable = supernet as? any PerturbableSupernet else {
            throw ComponentError("\(name): the '\(base.name)' supernet no longer supports perturbation-based selection")
        }
        UsageTrace.record("search space \(name): built a supernet")
        return RenamedSupernet(perturbable, searchSpace: name)
    }

    public func makeNetwork(
        genotype: Genotype, configuration: SearchSpaceConfiguration, registry: ComponentRegistry,
        rng: inout SeededGenerator
    ) throws -> any FusionBody {
        if let mismatch = mismatch(genotype) { throw ComponentError(.doesNotFit, mismatch) }
        var renamed = genotype
        renamed.searchSpace = base.name
        let network = try base.makeNetwork(genotype: renamed, configuration: configuration, registry: registry, rng: &rng)
        UsageTrace.record("search space \(name): built a found network")
        return network
    }
}
