import Layers
import TestSupport
import Testing
import Tensors
@testable import FusionNAS

/// The `cnn` encoder that image modalities (uci-mfeat's pix, the default run's image) get.
@Suite struct ImageEncoderTests {
    private func make(_ sampleShape: [Int], levels: Int = 2, width: Int = 64, seed: UInt64 = 1) throws -> ImageEncoder {
        var rng = SeededGenerator(seed: seed)
        let encoder = try bmnasRegistry().encoder(named: "cnn").make(
            EncoderConfiguration(modality: "pix", sampleShape: sampleShape, levels: levels, width: width), &rng)
        return try #require(encoder as? ImageEncoder)
    }

    /// Each level halves height and width (rounding down) and doubles the filters up to the
    /// configured width, never below 8; its positions become the length axis.
    @Test func levelShapesFollowThePoolingAndTheWidth() throws {
        let pix = try make([1, 16, 15])
        #expect(pix.levelShapes == [FeatureLevelShape(channels: 32, length: 240, rows: 16), FeatureLevelShape(channels: 64, length: 56, rows: 8)])
        var rng = SeededGenerator(seed: 2)
        let levels = pix([Tensor.randn([3, 1, 16, 15], rng: &rng)])
        #expect(levels.map(\.shape) == [[3, 32, 240], [3, 64, 56]])
        let small = try make([3, 5, 5], levels: 3, width: 16)
        #expect(small.levelShapes.map(\.length) == [25, 4, 1])
        #expect(small.levelShapes.map(\.channels) == [8, 8, 16])
    }

    @Test func refusesImagesTooSmallForTheLevelsOrNotThreeAxes() throws {
        #expect { _ = try make([1, 2, 2], levels: 3) } throws: { "\($0)".contains("at least 4 pixels per side") }
        #expect { _ = try make([16, 15]) } throws: { "\($0)".contains("[channels, height, width]") }
    }

    /// Level k is block k's ReLU output: the first from the input, the next from its 2x2 max pool.
    @Test func levelsAreTheConvolutionBlocksOutputs() throws {
        let encoder = try make([2, 6, 4], levels: 2, width: 8, seed: 3)
        var rng = SeededGenerator(seed: 4)
        let x = Tensor.randn([2, 2, 6, 4], rng: &rng)
        let levels = encoder([x])
        let first = encoder.convolutions[0](x).relu()
        let second = encoder.convolutions[1](maxPool2d(first, kernel: 2)).relu()
        #expect(levels[0].values == first.values && levels[1].values == second.values)
        #expect(levels[0].values.contains { $0 > 0 } && levels[0].values.contains { $0 == 0 }, "a ReLU output")
    }

    /// Both levels are checked side by side, so the first block gets its gradient from its own
    /// level and through the pooling and the second block. ReLUs and max pooling have kinks near
    /// some sampled points: a small step, with the error of a kink inside it allowed.
    @Test func gradientsMatchFiniteDifferences() throws {
        let encoder = try make([1, 4, 4], levels: 2, width: 8, seed: 5)
        var rng = SeededGenerator(seed: 6)
        let x = Tensor.randn([2, 1, 4, 4], rng: &rng)
        let result = GradientCheck.run(inputs: [x] + encoder.parameters(), epsilon: 1e-3, toleratesKinks: true) { t in
            Tensor.concat(encoder([t[0]]).map { $0.flattened() }, axis: 1)
        }
        #expect(result.passed, "\(result)")
    }
}
