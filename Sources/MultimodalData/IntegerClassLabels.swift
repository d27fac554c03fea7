/// Integer class labels without class names (a CSV label column, an `integer` labels file without
/// `labels.names`): the classes are `0...max`, so every class below the largest label needs a sample.
///
/// A stray large label (7 among classes 0...2) would otherwise make classes 3...6 "missing"; the
/// error names the row of the label that is out of range and the range the other labels support.
enum IntegerClassLabels {
    static func labels(_ classes: [Int], source: String) throws -> Labels {
        if let (row, bad) = classes.enumerated().first(where: { $0.element < 0 }) {
            throw DataError(source, "label \(bad) at row \(row) is negative; integer labels are the classes 0..<K")
        }
        // Classes are bounded by the row count here, so an absurd label allocates nothing (found by fuzzing).
        var seen = [Bool](repeating: false, count: classes.count)
        for c in classes where c < classes.count { seen[c] = true }
        let missing = seen.firstIndex(of: false) ?? classes.count
        if let (row, bad) = classes.enumerated().first(where: { $0.element > missing }) {
            let problem = bad >= classes.count ? "too large (\(classes.count) rows cannot have \(bad + 1) classes)" : "out of range"
            let range = missing == 0
                ? "no row has label 0, so no label is valid (labels counted from 1 need 1 subtracted)"
                : "class \(missing) has no sample, so the valid range here is 0...\(missing - 1)"
            throw DataError(
                source,
                "label \(bad) at row \(row) is \(problem): integer labels are the classes 0..<K, each with a sample, and \(range); fix row \(row), or name the classes in the manifest's labels.names")
        }
        return .multiClass(classes, classNames: (0..<missing).map(String.init))
    }
}
