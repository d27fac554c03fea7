import FusionNAS
import Layers
import Tensors

/// Another space's supernet whose derived genotypes name `searchSpace` instead: how a plugin space
/// that reuses a built-in supernet (``LightSearchSpace``) gets genotypes the pipeline builds in the
/// plugin space, not in the built-in one.
///
/// Everything else is forwarded. The wrapped supernet is a stored child module, so its weights and
/// architecture parameters are this module's (named `inner.…` in checkpoints), and perturbation-based
/// selection (`--selection perturbation`) works through ``removedOption``.
public final class RenamedSupernet: Module, PerturbableSupernet, @unchecked Sendable {
    let inner: any PerturbableSupernet
    /// The name every derived genotype carries.
    public let searchSpace: String

    public init(_ inner: any PerturbableSupernet, searchSpace: String) {
        self.inner = inner
        self.searchSpace = searchSpace
        super.init()
    }

    public var outputChannels: Int { inner.outputChannels }
    public var outputLength: Int { inner.outputLength }
    public func callAsFunction(_ inputs: [Tensor]) -> Tensor { inner(inputs) }

    public var architectureParameters: [Tensor] { inner.architectureParameters }
    public func architectureWeights() -> [String: [Float]] { inner.architectureWeights() }
    public var operationChoices: [String] { inner.operationChoices }

    public var removedOption: ArchitectureOption? {
        get { inner.removedOption }
        set { inner.removedOption = newValue }
    }

    public func deriveGenotype() -> Genotype { renamed(inner.deriveGenotype()) }
    public func deriveGenotype(fromScores scores: [String: [Float]]) -> Genotype {
        renamed(inner.deriveGenotype(fromScores: scores))
    }

    func renamed(_ genotype: Genotype) -> Genotype {
        UsageTrace.record("search space \(searchSpace): derived a genotype")
        var genotype = genotype
        genotype.searchSpace = searchSpace
        return genotype
    }
}
