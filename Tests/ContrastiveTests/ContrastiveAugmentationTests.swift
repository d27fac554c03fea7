import Contrastive
import Foundation
import FusionNAS
import Testing
import Tensors

extension ContrastiveTests {
    /// Every single-modality augmentation with its settings, and a batch it applies to.
    static func augmentationCases() -> [(any Augmentation, [Int])] {
        [
            (GaussianNoise(), [4, 3, 2]),
            (FeatureMasking(), [4, 6]),
            (RandomResizedCropAndFlip(), [3, 2, 8, 9]),
            (RandomResizedCropAndFlip(interpolation: .nearest), [3, 1, 8, 9]),
            (WithinBatchMixing(), [5, 4]),
        ]
    }

    @Test func augmentationsAreReproducibleForASeedAndChangeTheInput() {
        var data = SeededGenerator(seed: 10)
        for (augmentation, shape) in Self.augmentationCases() {
            // Distinct values everywhere, so any crop, mask or mix is visible.
            let batch = Tensor.randn(shape, rng: &data) + 3
            var first = SeededGenerator(seed: 42), second = SeededGenerator(seed: 42), other = SeededGenerator(seed: 43)
            let a = augmentation(batch, rng: &first), b = augmentation(batch, rng: &second)
            let c = augmentation(batch, rng: &other)
            #expect(a.shape == batch.shape, "\(augmentation.name)")
            #expect(a.values == b.values, "\(augmentation.name) is not reproducible")
            #expect(a.values != batch.values, "\(augmentation.name) left the input unchanged")
            #expect(a.values != c.values, "\(augmentation.name) ignores its seed")
        }
    }

    @Test func featureMaskingZeroesAboutTheRequestedFractionWithoutRescaling() {
        var rng = SeededGenerator(seed: 11)
        let batch = Tensor.ones([50, 40])
        let masked = FeatureMasking(probability: 0.25)(batch, rng: &rng).values
        let zeros = masked.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 2000 - 0.25) < 0.05)
        #expect(masked.allSatisfy { $0 == 0 || $0 == 1 })
    }

    @Test func gaussianNoiseHasTheRequestedSpread() {
        var rng = SeededGenerator(seed: 12)
        let noise = GaussianNoise(std: 0.5)(Tensor.zeros([100, 50]), rng: &rng).values.map(Double.init)
        let mean = noise.reduce(0, +) / Double(noise.count)
        let std = (noise.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(noise.count)).squareRoot()
        #expect(abs(mean) < 0.03 && abs(std - 0.5) < 0.03)
    }

    @Test func cropAndFlipAppliesOnlyToImagesAndTheFlipMirrorsTheSameCrop() {
        let crop = RandomResizedCropAndFlip()
        #expect(crop.applies(toSampleShape: [1, 15, 16]))
        #expect(!crop.applies(toSampleShape: [64, 1]) && !crop.applies(toSampleShape: [76]))
        var data = SeededGenerator(seed: 13)
        let (height, width) = (6, 7)
        let images = Tensor.randn([2, 3, height, width], rng: &data)
        for interpolation in [RandomResizedCropAndFlip.Interpolation.bilinear, .nearest] {
            // The same seed draws the same crops; only the flip differs.
            var plainRNG = SeededGenerator(seed: 5), flippedRNG = SeededGenerator(seed: 5)
            let plain = RandomResizedCropAndFlip(flipProbability: 0, interpolation: interpolation)(images, rng: &plainRNG)
            let flipped = RandomResizedCropAndFlip(flipProbability: 1, interpolation: interpolation)(images, rng: &flippedRNG)
            for row in 0..<(2 * 3 * height) {
                for x in 0..<width {
                    #expect(flipped.data[row * width + x] == plain.data[row * width + width - 1 - x])
                }
            }
            // Resampling interpolates, so it never leaves the input's range.
            let (low, high) = (images.values.min()!, images.values.max()!)
            #expect(plain.values.allSatisfy { $0 >= low - 1e-5 && $0 <= high + 1e-5 })
        }
        // A constant image stays constant under any crop.
        var rng = SeededGenerator(seed: 6)
        #expect(crop(Tensor(shape: [2, 1, 5, 5], repeating: 2), rng: &rng).values.allSatisfy { abs($0 - 2) < 1e-6 })
    }

    @Test func modalityDropNeverDropsEveryModalityOfASample() {
        var rng = SeededGenerator(seed: 14)
        let drop = ModalityDrop(probability: 0.9)
        let modalities = [[Tensor.ones([64, 3]), Tensor.ones([64, 2, 2])], [Tensor.ones([64, 5])]]
        let out = drop(modalities: modalities, rng: &rng)
        var droppedSomething = false
        for sample in 0..<64 {
            let kept = out.map { levels in levels.allSatisfy { level in
                let width = level.count / 64
                return (0..<width).allSatisfy { level.data[sample * width + $0] == 1 }
            } }
            let zeroed = out.map { levels in levels.allSatisfy { level in
                let width = level.count / 64
                return (0..<width).allSatisfy { level.data[sample * width + $0] == 0 }
            } }
            // Each modality is either kept whole (all levels) or dropped whole, and at least one is kept.
            #expect(zip(kept, zeroed).allSatisfy { $0 || $1 })
            #expect(kept.contains(true), "sample \(sample) lost every modality")
            droppedSomething = droppedSomething || zeroed.contains(true)
        }
        #expect(droppedSomething)
        var single = SeededGenerator(seed: 15)
        let alone = ModalityDrop(probability: 1)(modalities: [[Tensor.ones([8, 3])]], rng: &single)
        #expect(alone[0][0].values.allSatisfy { $0 == 1 })
    }

    @Test func mixingStaysBetweenASampleAndItsPartner() {
        var rng = SeededGenerator(seed: 16)
        // Sample i is the constant i, so a mix stays within [0, 3] and moves by at most alpha · 3.
        let batch = Tensor(shape: [4, 2], values: [0, 0, 1, 1, 2, 2, 3, 3])
        let mixed = WithinBatchMixing(alpha: 0.2)(modalities: [[batch], [batch.copy()]], rng: &rng)
        for row in 0..<4 {
            let value = mixed[0][0].data[row * 2]
            #expect(abs(value - Float(row)) <= 0.2 * 3 + 1e-6)
            #expect(mixed[0][0].data[row * 2 + 1] == value)
            #expect(mixed[1][0].data[row * 2] == value, "modalities must share the partner and λ")
        }
    }

    @Test func pipelineIsReproducibleAndAppliesEachAugmentationWhereItFits() {
        let pipeline = AugmentationPipeline(
            perModality: [RandomResizedCropAndFlip(flipProbability: 0), GaussianNoise(std: 0.05)],
            multimodal: [ModalityDrop(probability: 0.3), WithinBatchMixing()])
        var data = SeededGenerator(seed: 17)
        let inputs = [[Tensor.randn([6, 1, 5, 4], rng: &data)], [Tensor.randn([6, 3, 2], rng: &data), Tensor.randn([6, 4, 1], rng: &data)]]
        var first = SeededGenerator(seed: 9), second = SeededGenerator(seed: 9)
        let a = pipeline(inputs, rng: &first), b = pipeline(inputs, rng: &second)
        #expect(a.map { $0.map(\.shape) } == inputs.map { $0.map(\.shape) })
        #expect(a.flatMap { $0.flatMap(\.values) } == b.flatMap { $0.flatMap(\.values) })
        #expect(a[1][1].values != inputs[1][1].values)
        var rng = SeededGenerator(seed: 1)
        let unchanged = AugmentationPipeline.none(inputs, rng: &rng)
        #expect(unchanged[0][0].values == inputs[0][0].values)
        let sorted = AugmentationPipeline(components: [GaussianNoise(), ModalityDrop(), FeatureMasking(), WithinBatchMixing()])
        #expect(sorted.perModality.map(\.name) == ["gaussian_noise", "feature_mask"])
        #expect(sorted.multimodal.map(\.name) == ["modality_drop", "mixing"])
    }

    /// Stacked views are the separate views concatenated, whether the pipeline can write them in
    /// place (only elementwise augmentations) or not (a crop first).
    @Test(arguments: [
        AugmentationPipeline(perModality: [GaussianNoise(std: 0.3), FeatureMasking(probability: 0.4)]),
        AugmentationPipeline(perModality: [RandomResizedCropAndFlip(), GaussianNoise(), FeatureMasking()]),
        AugmentationPipeline(perModality: [GaussianNoise()], multimodal: [ModalityDrop(probability: 0.5)]),
    ])
    func stackedViewsEqualSeparateViewsConcatenated(pipeline: AugmentationPipeline) {
        var data = SeededGenerator(seed: 18)
        // One tensor above a random block (32,768 elements), so the parallel blocks are exercised.
        let inputs = [[Tensor.randn([40, 1, 5, 4], rng: &data)], [Tensor.randn([40, 900], rng: &data), Tensor.randn([40, 7, 2], rng: &data)]]
        var separate = SeededGenerator(seed: 4), together = SeededGenerator(seed: 4)
        let views = (0..<2).map { _ in pipeline(inputs, rng: &separate) }
        let stacked = pipeline.stackedViews(inputs, count: 2, rng: &together)
        for m in inputs.indices {
            for t in inputs[m].indices {
                #expect(stacked[m][t].shape == [80] + inputs[m][t].shape.dropFirst())
                #expect(stacked[m][t].values == views[0][m][t].values + views[1][m][t].values)
            }
        }
        #expect(separate == together)
        #expect(views[0][1][0].values != views[1][1][0].values)
    }

    /// Noise then masking in one fused pass: masked elements are exactly zero, the others carry noise
    /// of the requested spread.
    @Test func fusedNoiseAndMaskingKeepTheirStatistics() {
        let pipeline = AugmentationPipeline(perModality: [GaussianNoise(std: 0.5), FeatureMasking(probability: 0.25)])
        var rng = SeededGenerator(seed: 19)
        let values = pipeline([[Tensor.ones([200, 500])]], rng: &rng)[0][0].values.map(Double.init)
        let kept = values.filter { $0 != 0 }
        let masked = Double(values.count - kept.count) / Double(values.count)
        #expect(abs(masked - 0.25) < 0.01)
        let mean = kept.reduce(0, +) / Double(kept.count)
        let std = (kept.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(kept.count)).squareRoot()
        #expect(abs(mean - 1) < 0.01 && abs(std - 0.5) < 0.01)
    }

    @Test func augmentationOptionsAreValidated() {
        #expect(throws: ComponentError.self) { try GaussianNoise(options: ["std": -1]) }
        #expect(throws: ComponentError.self) { try FeatureMasking(options: ["probability": 1.5]) }
        #expect(throws: ComponentError.self) { try RandomResizedCropAndFlip(options: ["min_scale": 0.9, "max_scale": 0.8]) }
        #expect(throws: ComponentError.self) { try ModalityDrop(options: ["probabilty": 0.1]) }
        #expect(throws: ComponentError.self) { try WithinBatchMixing(options: ["alpha": .nan]) }
    }
}
