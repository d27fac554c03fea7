import Tensors

/// Which levels carry the label of ``SyntheticData/plantedInteraction(samples:levels:dims:noise:seed:)``.
public struct PlantedLevels: Sendable, Equatable {
    /// The level of modality `a` in the multiplicative interaction.
    public var a: Int
    /// The level of modality `b` in the multiplicative interaction.
    public var b: Int
    /// The level of modality `b` that helps additively (weakly), or nil when there is one level.
    public var additiveB: Int?
}

/// Generated datasets with a known answer, for testing that a search finds the right fusion.
public enum SyntheticData {
    /// The default length L of every level of the planted-interaction data: each level is `[dims, L]`.
    public static let plantedLevelLength = 4

    /// The planted levels for a given number of levels: the interaction is between level
    /// `min(1, levels - 1)` of `a` and level 0 of `b`; level `levels - 1` of `b` (if not 0) adds a
    /// weak additive signal; every other level is pure noise.
    public static func plantedLevels(levels: Int) -> PlantedLevels {
        PlantedLevels(a: min(1, levels - 1), b: 0, additiveB: levels > 1 ? levels - 1 : nil)
    }

    /// Two feature-levels modalities `a` and `b`, each with `levels` levels of shape
    /// `[dims, length]` of standard normal values, and a binary label ("negative", "positive") that
    /// needs both modalities.
    ///
    /// With `m(x)_k = sum over L of x[k, :] / sqrt(L)` (one standard normal per feature k), the label is
    /// `sum_k m(a[pa])_k * m(b[pb])_k / sqrt(dims) + 0.25 * s(b[add]) + noise * e > 0`, where
    /// `s(x) = sum(x) / sqrt(dims * L)` and `e` is standard normal, with the levels of
    /// ``plantedLevels(levels:)``. The interaction is a dot product of the two levels' per-feature
    /// means: symmetric and independent, so neither modality alone predicts it, and an additive fusion
    /// needs many units to approximate it where a multiplicative one expresses it directly.
    /// The split is stratified 70/15/15 from `seed`.
    ///
    /// With `length` > 1 the interaction is between means over the length, which a fusion that works
    /// position by position (BM-NAS's cells) can express only after pooling the length to 1; with
    /// `length` 1 each level is a vector and the product is position-wise at any fused length.
    public static func plantedInteraction(
        samples: Int, levels: Int = 3, dims: Int = 8, length: Int = plantedLevelLength, noise: Float = 0.1,
        seed: UInt64 = 0
    ) -> MultimodalDataset {
        precondition(
            samples > 0 && levels > 0 && dims > 0 && length > 0,
            "plantedInteraction: samples, levels, dims and length must be positive")
        var rng = SeededGenerator(seed: seed)
        let width = dims * length
        func makeLevels() -> [Tensor] {
            (0..<levels).map { _ in
                let t = Tensor(uninitializedShape: [samples, dims, length])
                for i in 0..<t.count { t.data[i] = rng.normal() }
                return t
            }
        }
        let a = makeLevels(), b = makeLevels()
        let planted = plantedLevels(levels: levels)
        func summary(_ t: Tensor, _ row: Int) -> Float {
            var sum: Float = 0
            for j in 0..<width { sum += t.data[row * width + j] }
            return sum / Float(width).squareRoot()
        }
        func featureMean(_ t: Tensor, _ row: Int, _ k: Int) -> Float {
            var sum: Float = 0
            for l in 0..<length { sum += t.data[row * width + k * length + l] }
            return sum / Float(length).squareRoot()
        }
        let classes = (0..<samples).map { row -> Int in
            var score: Float = 0
            for k in 0..<dims { score += featureMean(a[planted.a], row, k) * featureMean(b[planted.b], row, k) }
            score /= Float(dims).squareRoot()
            if let additive = planted.additiveB { score += 0.25 * summary(b[additive], row) }
            score += noise * rng.normal()
            return score > 0 ? 1 : 0
        }
        let labels = Labels.multiClass(classes, classNames: ["negative", "positive"])
        // Valid by construction: equal row counts, indices from a split of 0..<samples.
        return try! MultimodalDataset(
            name: "planted-interaction",
            modalities: [Modality(name: "a", levels: a), Modality(name: "b", levels: b)],
            labels: labels, split: .stratified(labels: labels, seed: seed))
    }

    /// A streaming generator of data with MM-IMDB's BM-NAS shapes; see ``MMIMDBShapedGenerator``.
    public static func mmimdbShaped(samples: Int, seed: UInt64 = 0, batchSize: Int = 96) -> MMIMDBShapedGenerator {
        MMIMDBShapedGenerator(samples: samples, seed: seed, batchSize: batchSize)
    }
}
