import Tensors

/// A stratified, seeded sample of `fraction` of `indices` to keep the labels of (semi-/self-
/// supervised experiments with 1%, 5%, 10% labels).
///
/// Multi-class: each class keeps `round(fraction * n_c)` of its samples, at least one. Multi-label:
/// a random `round(fraction * n)` samples (at least one), then, for each label that has positives
/// among `indices` but none among those chosen, one positive sample of it is added.
/// The result is sorted and the same for the same seed.
///
/// - Throws: ``DataError`` if `fraction` is not in (0, 1], or a class (label) has no sample in
///   `indices` and so could not be labelled (multi-class only; a multi-label label without any
///   positive sample is left uncovered).
public func labelledFraction(_ fraction: Double, of indices: [Int], labels: Labels, seed: UInt64) throws -> [Int] {
    guard fraction > 0 && fraction <= 1 else {
        throw DataError("labelled fraction", "fraction \(fraction) is not in (0, 1]")
    }
    var rng = SeededGenerator(seed: seed)
    switch labels {
    case .multiClass(let classes, let names):
        var byClass = [[Int]](repeating: [], count: names.count)
        for i in indices { byClass[classes[i]].append(i) }
        var chosen = [Int]()
        for (c, var members) in byClass.enumerated() {
            guard !members.isEmpty else {
                throw DataError("labelled fraction", "class \(c) ('\(names[c])') has no sample among the \(indices.count) indices, so it would have no label")
            }
            members.shuffle(using: &rng)
            let keep = max(1, Int((fraction * Double(members.count)).rounded()))
            chosen += members.prefix(keep)
        }
        return chosen.sorted()
    case .multiLabel(let matrix, let names):
        let k = names.count
        var order = indices
        order.shuffle(using: &rng)
        let keep = max(1, Int((fraction * Double(order.count)).rounded()))
        var chosen = Array(order.prefix(keep))
        var covered = [Bool](repeating: false, count: k)
        for i in chosen { for j in 0..<k where matrix.data[i * k + j] != 0 { covered[j] = true } }
        for j in 0..<k where !covered[j] {
            // A label with no positive sample at all cannot be covered; that is not an error here.
            guard let extra = order.dropFirst(keep).first(where: { matrix.data[$0 * k + j] != 0 }) else { continue }
            chosen.append(extra)
            for l in 0..<k where matrix.data[extra * k + l] != 0 { covered[l] = true }
        }
        return chosen.sorted()
    }
}
