import Tensors

/// Which samples are used for training, model selection and the final report.
public struct DatasetSplit: Sendable, Equatable, Codable {
    public var train: [Int]
    public var validation: [Int]
    public var test: [Int]

    public init(train: [Int], validation: [Int], test: [Int]) {
        self.train = train
        self.validation = validation
        self.test = test
    }

    /// A seeded split that keeps each class's proportions: per class, `round(fraction * n)` samples
    /// go to train and validation and the rest to test. Multi-label data is split at random.
    ///
    /// Each part is sorted so that the split does not depend on iteration order elsewhere.
    public static func stratified(
        labels: Labels, train: Double = 0.70, validation: Double = 0.15, seed: UInt64
    ) -> DatasetSplit {
        var rng = SeededGenerator(seed: seed)
        let groups: [[Int]]
        switch labels {
        case .multiClass(let classes, let names):
            var byClass = [[Int]](repeating: [], count: names.count)
            for (i, c) in classes.enumerated() where c >= 0 && c < names.count { byClass[c].append(i) }
            groups = byClass
        case .multiLabel:
            groups = [Array(0..<labels.sampleCount)]
        }
        var split = DatasetSplit(train: [], validation: [], test: [])
        for var group in groups {
            group.shuffle(using: &rng)
            let nTrain = Int((train * Double(group.count)).rounded())
            let nValidation = min(group.count - nTrain, Int((validation * Double(group.count)).rounded()))
            split.train += group[0..<nTrain]
            split.validation += group[nTrain..<(nTrain + nValidation)]
            split.test += group[(nTrain + nValidation)...]
        }
        split.train.sort(); split.validation.sort(); split.test.sort()
        return split
    }

    /// A split by index order into consecutive blocks of the given sizes.
    public static func ordered(trainCount: Int, validationCount: Int, total: Int) -> DatasetSplit {
        DatasetSplit(
            train: Array(0..<trainCount),
            validation: Array(trainCount..<(trainCount + validationCount)),
            test: Array((trainCount + validationCount)..<total))
    }

    /// Checks that no part is empty, for users of the split that train on `train`, select on
    /// `validation` and report on `test` (an empty part would only fail after all the training).
    /// A dataset may still be loaded with an empty part; `source` names it in the error.
    public func requireEveryPart(source: String) throws {
        for (part, indices) in [("train", train), ("validation", validation), ("test", test)] where indices.isEmpty {
            throw DataError(
                source,
                "split '\(part)' has no sample; list at least one sample index in the manifest's split.\(part) file, or give more samples so that the default 70/15/15 split leaves some for '\(part)'")
        }
    }

    /// Checks every index is in `0..<sampleCount` and no sample is in two parts.
    public func validate(sampleCount: Int, source: String) throws {
        var owner = [String?](repeating: nil, count: sampleCount)
        for (part, indices) in [("train", train), ("validation", validation), ("test", test)] {
            for (position, index) in indices.enumerated() {
                guard index >= 0 && index < sampleCount else {
                    throw DataError(source, "split '\(part)' entry \(position) is index \(index), outside 0..<\(sampleCount)")
                }
                if let other = owner[index] {
                    throw DataError(source, "split '\(part)' entry \(position): sample \(index) is also in '\(other)'")
                }
                owner[index] = part
            }
        }
    }
}
