import FusionNAS

/// A finished architecture search and the epoch it chose: the genotype with the best held-out score.
public struct SearchOutcome {
    /// The searcher, with its whole history of epochs and architecture weights.
    public let searcher: ArchitectureSearch
    /// The epoch whose genotype scored best on held-out data.
    public let best: SearchEpochRecord

    /// The outcome of `search`, which must have run at least one epoch.
    ///
    /// - Throws: ``ComponentError`` ``ComponentError/Problem/noGenotypeFound(stage:)`` when no
    ///   epoch finished (a search always runs at least one, so this means it was driven wrongly).
    public init(_ search: ArchitectureSearch, stage: String) throws {
        guard let best = search.best else {
            throw ComponentError(
                .noGenotypeFound(stage: stage), "\(stage): the search finished no epoch, so it chose no genotype")
        }
        searcher = search
        self.best = best
    }

    /// The found architecture.
    public var genotype: Genotype { best.genotype }
    /// Every search epoch in order.
    public var history: [SearchEpochRecord] { searcher.history }
}
