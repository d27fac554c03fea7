import Testing
import Tensors
@testable import MultimodalData

@Suite struct PreprocessingTests {
    /// Eight samples, two classes; the test rows hold extreme values that must not leak into the fit.
    static func toy() throws -> MultimodalDataset {
        let a = Tensor(shape: [8, 2], values: [1, 5, 3, 5, 5, 5, 7, 5, 100, 5, 100, 5, -100, 5, 0, 5])
        let b = Tensor(shape: [8, 1, 1, 2], values: (0..<16).map(Float.init))
        return try MultimodalDataset(
            name: "toy",
            modalities: [Modality(name: "a", kind: .vector, features: a), Modality(name: "b", kind: .image, features: b)],
            labels: .multiClass([0, 1, 0, 1, 0, 1, 0, 1], classNames: ["u", "v"]),
            split: DatasetSplit(train: [0, 1, 2, 3], validation: [4, 5], test: [6, 7]))
    }

    @Test func standardizerIsFittedOnTrainOnlyAndConstantFeaturesKeepStdOne() throws {
        let data = try Self.toy()
        let standardizer = try Standardizer.fit(data, on: data.split.train)
        #expect(standardizer.means[0][0] == [4, 5])
        #expect(abs(standardizer.deviations[0][0][0] - Float(5).squareRoot()) < 1e-5)
        #expect(standardizer.deviations[0][0][1] == 1)
        let scaled = try standardizer.apply(to: data)
        let column = (0..<4).map { scaled.modalities[0].features.data[$0 * 2] }
        #expect(abs(column.reduce(0, +)) < 1e-5)
        #expect(scaled.modalities[0].features.data[1] == 0)
        #expect(abs(scaled.modalities[0].features.data[8] - 96 / Float(5).squareRoot()) < 1e-3)
        #expect(data.modalities[0].features.data[0] == 1, "the original is untouched")
    }

    @Test func labelledFractionIsStratifiedReproducibleAndKeepsEveryClass() throws {
        let data = try EmbeddedDatasets.uciMFeat(modalities: ["mor", "zer"])
        let train = data.split.train
        let chosen = try labelledFraction(0.05, of: train, labels: data.labels, seed: 7)
        #expect(chosen == (try labelledFraction(0.05, of: train, labels: data.labels, seed: 7)))
        #expect(chosen != (try labelledFraction(0.05, of: train, labels: data.labels, seed: 8)))
        guard case .multiClass(let classes, _) = data.labels else { return }
        for c in 0..<10 { #expect(chosen.filter { classes[$0] == c }.count == 7) }
        #expect(Set(chosen).isSubset(of: Set(train)))
        let tiny = try labelledFraction(0.001, of: train, labels: data.labels, seed: 0)
        #expect(Set(tiny.map { classes[$0] }).count == 10, "at least one label per class")
    }

    @Test func labelledFractionOutsideZeroOneIsRejected() throws {
        let data = try Self.toy()
        for bad in [0, -0.1, 1.5] {
            #expect { _ = try labelledFraction(bad, of: [0, 1], labels: data.labels, seed: 0) } throws: { message($0, mentions: "\(bad)", "(0, 1]") }
        }
    }

    @Test func labelledFractionThatLeavesAClassUnlabelledIsRejected() throws {
        let data = try Self.toy()
        #expect { _ = try labelledFraction(0.5, of: [0, 2, 4], labels: data.labels, seed: 0) } throws: {
            message($0, mentions: "class 1", "'v'", "no sample")
        }
    }

    @Test func multiLabelFractionCoversEveryLabelWithPositives() throws {
        let matrix = Tensor.zeros([20, 3])
        for i in 0..<20 { matrix.data[i * 3] = 1 }
        matrix.data[17 * 3 + 1] = 1
        let labels = Labels.multiLabel(matrix, labelNames: ["common", "rare", "never"])
        let chosen = try labelledFraction(0.1, of: Array(0..<20), labels: labels, seed: 2)
        #expect(chosen.contains(17))
        #expect(chosen.count <= 3)
    }
}
