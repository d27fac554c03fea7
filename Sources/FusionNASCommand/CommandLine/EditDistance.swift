/// Levenshtein distance: the fewest single-character insertions, deletions and substitutions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// The candidate closest to a mistyped `word`, if it is close enough to be what the user meant.
///
/// "Close enough" grows with length (a third of the word, at least 2) so that `--epoch` suggests
/// `--epochs` but `--x` does not suggest `--seed`.
func closestMatch(to word: String, among candidates: [String]) -> String? {
    let scored = candidates.map { (candidate: $0, distance: editDistance(word, $0)) }
    guard let best = scored.min(by: { $0.distance < $1.distance }) else { return nil }
    let prefixMatch = candidates.first { $0.hasPrefix(word) && word.count >= 3 }
    if best.distance <= max(2, word.count / 3), best.distance < word.count { return best.candidate }
    return prefixMatch
}
