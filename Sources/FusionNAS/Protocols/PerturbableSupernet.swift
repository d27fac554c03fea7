/// One option of one architecture choice, by the choice's name in ``Supernet/architectureWeights()``
/// (e.g. `cell0.step0.primitive`) and the option's index in that choice's weights.
public struct ArchitectureOption: Hashable, Sendable {
    public var choice: String
    public var option: Int

    public init(choice: String, option: Int) {
        self.choice = choice
        self.option = option
    }
}

/// A supernet whose options can be switched off one at a time and whose genotype can be derived from
/// any option scores, which is what perturbation-based selection (DARTS-PT) needs.
///
/// Removing an option zeroes its softmax weight and leaves the others as they are (no
/// renormalisation), as DARTS-PT does: the supernet's output then lacks exactly that option's share.
public protocol PerturbableSupernet: Supernet {
    /// The option whose output is removed from its mixture, or nil for the full supernet.
    var removedOption: ArchitectureOption? { get set }
    /// The genotype the given per-choice option scores select, by the space's own derivation rules
    /// (`scores` has the keys and lengths of ``Supernet/architectureWeights()``; larger is stronger).
    func deriveGenotype(fromScores scores: [String: [Float]]) -> Genotype
}
