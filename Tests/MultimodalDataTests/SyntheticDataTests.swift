import Testing
import Tensors
@testable import MultimodalData

@Suite struct SyntheticDataTests {
    /// The planted interaction: the dot product of the two levels' per-feature means.
    func interaction(_ a: Tensor, _ b: Tensor, _ row: Int) -> Float {
        let dims = a.shape[1], length = a.shape[2], width = dims * length
        var score: Float = 0
        for k in 0..<dims {
            var ma: Float = 0, mb: Float = 0
            for l in 0..<length { ma += a.data[row * width + k * length + l]; mb += b.data[row * width + k * length + l] }
            score += ma * mb
        }
        return score
    }

    /// A level's scaled sum.
    func summary(_ t: Tensor, _ row: Int) -> Float {
        let width = t.count / t.shape[0]
        return (0..<width).reduce(Float(0)) { $0 + t.data[row * width + $1] } / Float(width).squareRoot()
    }

    @Test func plantedInteractionNeedsBothModalities() throws {
        let data = SyntheticData.plantedInteraction(samples: 2000, levels: 3, dims: 4, noise: 0.05, seed: 1)
        let planted = SyntheticData.plantedLevels(levels: 3)
        #expect(planted == PlantedLevels(a: 1, b: 0, additiveB: 2))
        #expect(data.modalityNames == ["a", "b"])
        #expect(data.modalities[0].sampleShapes == [[4, 4], [4, 4], [4, 4]])
        guard case .multiClass(let classes, _) = data.labels else { return }
        let a = data.modalities[0].tensors[planted.a], b = data.modalities[1].tensors[planted.b]
        var productAgrees = 0, aAloneAgrees = 0
        for row in 0..<data.sampleCount {
            let label = classes[row] == 1
            if (interaction(a, b, row) > 0) == label { productAgrees += 1 }
            if (summary(a, row) > 0) == label { aAloneAgrees += 1 }
        }
        #expect(Double(productAgrees) / 2000 > 0.85)
        #expect(abs(Double(aAloneAgrees) / 2000 - 0.5) < 0.06, "one modality alone is at chance")
        #expect(data.split.train.count == 1400)
    }

    @Test func plantedInteractionIsDeterministic() {
        let first = SyntheticData.plantedInteraction(samples: 10, levels: 2, dims: 3, noise: 0.1, seed: 5)
        let second = SyntheticData.plantedInteraction(samples: 10, levels: 2, dims: 3, noise: 0.1, seed: 5)
        #expect(first.modalities[1].tensors[1].values == second.modalities[1].tensors[1].values)
    }

    @Test func mmimdbShapedBatchesHaveBMNASShapesAndAreDeterministic() {
        let generator = SyntheticData.mmimdbShaped(samples: 100_000, seed: 3, batchSize: 4)
        #expect(generator.batchCount == 25_000)
        let batch = generator.batch(at: 12_345)
        #expect(batch.inputs.map(\.shape) == [[4, 512, 16], [4, 512, 16], [4, 512, 16], [4, 512, 16], [4, 64, 16], [4, 128, 16]])
        #expect(batch.targets.shape == [4, 23])
        #expect(batch.inputs[5].values == generator.batch(at: 12_345).inputs[5].values)
        let other = SyntheticData.mmimdbShaped(samples: 100_000, seed: 3, batchSize: 2).batch(at: 24_691)
        #expect(other.inputs[4].values == Array(batch.inputs[4].values[(2 * 64 * 16)...]), "a sample does not depend on the batch size")
        let last = generator.batch(at: 24_999)
        #expect(last.targets.shape == [4, 23])
    }

    @Test func mmimdbShapedLabelsAreImbalancedAndMaterialize() throws {
        let generator = SyntheticData.mmimdbShaped(samples: 400, seed: 0, batchSize: 400)
        let data = try generator.materialize()
        #expect(data.modalityNames == ["image", "text"])
        #expect(data.modalities[1].sampleShapes == [[64, 16], [128, 16]])
        guard case .multiLabel(let targets, let names) = data.labels else { return }
        #expect(names.count == 23)
        let prevalence = (0..<23).map { k in (0..<400).reduce(Float(0)) { $0 + targets.data[$1 * 23 + k] } / 400 }
        #expect(prevalence[0] > 0.3 && prevalence[0] < 0.6)
        #expect(prevalence[22] < 0.1)
        #expect(data.split.train.count == 240)
        #expect(throws: DataError.self) { try SyntheticData.mmimdbShaped(samples: 50_000).materialize() }
    }
}
