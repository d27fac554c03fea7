import FusionNAS
import Layers
import TestSupport
import Testing
import Tensors

/// The `conv1d` encoder that sequence modalities get by default.
@Suite struct SequenceEncoderTests {
    private func make(_ sampleShape: [Int], levels: Int = 2, width: Int = 64, seed: UInt64 = 1) throws -> any ModalityEncoder {
        var rng = SeededGenerator(seed: seed)
        return try bmnasRegistry().encoder(named: "conv1d").make(
            EncoderConfiguration(modality: "imu", sampleShape: sampleShape, levels: levels, width: width), &rng)
    }

    @Test func levelsHalveTheLengthAndEndAtTheConfiguredWidth() throws {
        let encoder = try make([3, 100])
        #expect(encoder.levelShapes == [FeatureLevelShape(channels: 32, length: 100), FeatureLevelShape(channels: 64, length: 50)])
        var rng = SeededGenerator(seed: 2)
        let levels = encoder([Tensor.randn([5, 3, 100], rng: &rng)])
        #expect(levels.map(\.shape) == [[5, 32, 100], [5, 64, 50]])
        #expect(levels.allSatisfy { $0.values.allSatisfy { $0.isFinite && $0 >= 0 } }, "each level ends in a ReLU")
        // Odd lengths round up, and a single step still gives one position per level.
        let odd = try make([2, 7], levels: 3, width: 16)
        #expect(odd.levelShapes.map(\.length) == [7, 4, 2])
        #expect(odd.levelShapes.map(\.channels) == [8, 8, 16])
        #expect(try make([1, 1], levels: 3).levelShapes.map(\.length) == [1, 1, 1])
    }

    @Test func rejectsShapesThatAreNotChannelsByLength() throws {
        for shape in [[100], [1, 3, 3], [3, 0]] {
            #expect {
                _ = try make(shape)
            } throws: { "\($0)".contains("conv1d encoder for 'imu'") && "\($0)".contains("[channels, length]") }
        }
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        let encoder = try make([2, 6], levels: 2, width: 4, seed: 3)
        var rng = SeededGenerator(seed: 4)
        let x = Tensor.randn([3, 2, 6], rng: &rng)
        // Both levels are checked (flattened side by side), so the first block's gradient comes
        // from its own level and through the second block. Training mode: batch statistics.
        // ReLUs after batch norm put kinks near the sampled points: a small step stays on one side.
        let result = GradientCheck.run(inputs: [x] + encoder.parameters(), epsilon: 1e-3, tolerance: 5e-2) { _ in
            Tensor.concat(encoder([x]).map { $0.flattened() }, axis: 1)
        }
        #expect(result.passed, "\(result)")
    }
}
