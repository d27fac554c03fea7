import Foundation

/// DARTS-PT's perturbation-based selection (Wang et al., "Rethinking Architecture Selection in
/// Differentiable NAS", ICLR 2021): an option's strength is how much the trained supernet's held-out
/// score drops when that option alone is removed from its mixture, not the size of its architecture
/// weight. A parameter-free option can gather a large weight while the supernet barely depends on it;
/// removing it then costs little, and it is not chosen.
///
/// Unlike DARTS-PT's code, every option is scored on the same supernet (no fine-tuning between
/// decisions), so one pass costs one held-out evaluation per option.
public enum PerturbationSelection {
    /// The drop of `score` (higher is better) when each option is removed, by choice name and option
    /// index (the layout of ``Supernet/architectureWeights()``). Restores the full supernet.
    public static func importances(
        of supernet: any PerturbableSupernet, score: () throws -> Double
    ) throws -> [String: [Float]] {
        // Supernets are modules (classes): the options are switched on the caller's supernet itself.
        defer { supernet.removedOption = nil }
        supernet.removedOption = nil
        let full = try score()
        var result: [String: [Float]] = [:]
        for (choice, weights) in supernet.architectureWeights().sorted(by: { $0.key < $1.key }) {
            result[choice] = try weights.indices.map { option in
                supernet.removedOption = ArchitectureOption(choice: choice, option: option)
                return Float(full - (try score()))
            }
        }
        return result
    }

    /// The genotype the importances select, by the space's own derivation rules.
    ///
    /// The drops are mapped to exp(drop / s), s the largest drop magnitude of any option, so the order
    /// within a choice is kept and a pair of inputs is ranked by the sum of its two drops. When no
    /// removal changes the score at all the architecture weights decide, as in DARTS.
    public static func genotype(of supernet: any PerturbableSupernet, importances: [String: [Float]]) -> Genotype {
        let scale = importances.values.flatMap { $0 }.map(abs).max() ?? 0
        guard scale > 0, scale.isFinite else { return supernet.deriveGenotype() }
        return supernet.deriveGenotype(fromScores: importances.mapValues { $0.map { exp($0 / scale) } })
    }
}
