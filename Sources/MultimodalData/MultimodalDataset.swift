import Tensors

/// Several modalities describing the same samples, their labels and a train/validation/test split.
///
/// Row `i` of every modality tensor and of the labels is the same sample.
public struct MultimodalDataset: Sendable {
    /// A short name used in logs and reports.
    public var name: String
    /// The views of the samples, in the order models receive them.
    public var modalities: [Modality]
    /// The targets.
    public var labels: Labels
    /// The train/validation/test indices.
    public var split: DatasetSplit

    /// A dataset after checking that every modality and the labels have the same number of rows,
    /// that there is at least one sample and one modality, and that the split indices are valid.
    public init(name: String, modalities: [Modality], labels: Labels, split: DatasetSplit) throws {
        guard !modalities.isEmpty else { throw DataError(name, "the dataset has no modality") }
        let count = labels.sampleCount
        guard count > 0 else { throw DataError(name, "the dataset is empty (0 labelled samples)") }
        for modality in modalities {
            guard !modality.tensors.isEmpty else {
                throw DataError(name, "modality '\(modality.name)' has no feature tensor")
            }
            for (level, tensor) in modality.tensors.enumerated() where tensor.shape.first != count {
                let which = modality.tensors.count > 1 ? " level \(level)" : ""
                throw DataError(
                    name,
                    "modality '\(modality.name)'\(which) has shape \(tensor.shape) (\(tensor.shape.first ?? 0) rows) but the labels have \(count) rows")
            }
        }
        let names = modalities.map(\.name)
        if let bad = names.first(where: { $0.isEmpty || $0.contains(",") }) {
            // --modalities takes comma-separated names: such a name could never be selected.
            throw DataError(name, "modality name '\(bad)' is empty or contains a comma; rename it (e.g. with '-' or '_')")
        }
        if let duplicate = names.first(where: { n in names.filter { $0 == n }.count > 1 }) {
            throw DataError(name, "modality name '\(duplicate)' is used twice")
        }
        try split.validate(sampleCount: count, source: name)
        self.name = name
        self.modalities = modalities
        self.labels = labels
        self.split = split
    }

    /// The number of samples.
    public var sampleCount: Int { labels.sampleCount }

    /// The names of the modalities, in order.
    public var modalityNames: [String] { modalities.map(\.name) }

    /// The modality called `name`.
    public func modality(named name: String) throws -> Modality {
        guard let found = modalities.first(where: { $0.name == name }) else {
            throw DataError(self.name, "unknown modality '\(name)'; available: \(modalityNames.joined(separator: ", "))")
        }
        return found
    }

    /// The same samples restricted to the named modalities, in the order given.
    ///
    /// A fusion search needs at least `minimumCount` modalities (two by default); pass 1 for a
    /// single-view baseline.
    public func selecting(modalities names: [String], minimumCount: Int = 2) throws -> MultimodalDataset {
        guard names.count >= minimumCount else {
            throw DataError(
                name,
                "selected \(names.count) modalities (\(names.joined(separator: ", "))) but at least \(minimumCount) are needed; available: \(modalityNames.joined(separator: ", "))")
        }
        var copy = self
        copy.modalities = try names.map { try modality(named: $0) }
        return copy
    }

    /// The samples at `indices` (in that order, repeats allowed) as a new dataset.
    ///
    /// The split keeps, in each part, the positions of the selected samples that belonged to it.
    public func subset(_ indices: [Int]) -> MultimodalDataset {
        var copy = self
        copy.modalities = modalities.map { modality in
            var selected = modality
            selected.tensors = modality.tensors.map { gatherRows($0, indices) }
            return selected
        }
        copy.labels = labels.selecting(indices)
        var part = [Int](repeating: -1, count: sampleCount)
        for i in split.train { part[i] = 0 }
        for i in split.validation { part[i] = 1 }
        for i in split.test { part[i] = 2 }
        var newSplit = DatasetSplit(train: [], validation: [], test: [])
        var used = Set<Int>()
        for (position, original) in indices.enumerated() where used.insert(original).inserted {
            switch part[original] {
            case 0: newSplit.train.append(position)
            case 1: newSplit.validation.append(position)
            case 2: newSplit.test.append(position)
            default: break
            }
        }
        copy.split = newSplit
        return copy
    }
}
