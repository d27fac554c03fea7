import Foundation
import FusionNAS
import FusionNASPipeline
import MultimodalData
import TestSupport
import Testing
import Tensors

/// The shipped datasets through the pipeline's data side: each name resolves, each modality gets
/// the intended encoder, and the encoders' levels fit the search space.
@Suite struct ShippedDatasetEncoderTests {
    private func pipeline(_ dataset: String) throws -> FusionPipeline {
        var c = PipelineConfiguration()
        c.dataset = dataset
        return FusionPipeline(configuration: c, registry: try bmnasRegistry(), data: try PreparedData.load(c))
    }

    @Test func builtInNamesIncludeBothAndKeepUCIMFeatTheDefault() throws {
        let names = BuiltInDatasets.descriptions.map(\.0)
        #expect(names.contains("satellite") && names.contains("smartwatch-imu"))
        #expect(PipelineConfiguration().dataset == "uci-mfeat")
        #expect(try BuiltInDatasets.load("satellite")?.sampleCount == 6435)
        #expect(try BuiltInDatasets.load("smartwatch-imu")?.sampleCount == 4677)
    }

    @Test func satelliteBandsGetTheImageCNNWithTwoLevels() throws {
        let pipeline = try pipeline("satellite")
        #expect(pipeline.data.source.modalityNames == ["green", "red", "nir1", "nir2"], "all four bands by default")
        #expect(pipeline.data.source.task == .multiClass(classes: 6))
        #expect((0..<4).map { pipeline.data.source.encoderConfiguration(modality: $0).encoder } == ["cnn", "cnn", "cnn", "cnn"])
        var rng = SeededGenerator(seed: 0)
        let encoders = try pipeline.makeEncoders(rng: &rng)
        // 3x3 patch: the first level keeps the 9 positions, the second is the pooled centre.
        #expect(encoders[0].levelShapes == [FeatureLevelShape(channels: 32, length: 9, rows: 3), FeatureLevelShape(channels: 64, length: 1, rows: 1)])
        let batch = pipeline.data.source.batch(Array(pipeline.data.split.train.prefix(4)), withLabels: false)
        #expect(encoders[1](batch.inputs[1]).map(\.shape) == [[4, 32, 9], [4, 64, 1]])
    }

    @Test func smartwatchSensorsGetTheConv1dEncoder() throws {
        let pipeline = try pipeline("smartwatch-imu")
        #expect(pipeline.data.source.modalityNames == ["accelerometer", "gyroscope"])
        #expect(pipeline.data.source.task == .multiClass(classes: 7))
        #expect((0..<2).map { pipeline.data.source.encoderConfiguration(modality: $0).encoder } == ["conv1d", "conv1d"])
        var rng = SeededGenerator(seed: 0)
        let encoders = try pipeline.makeEncoders(rng: &rng)
        #expect(encoders[0].levelShapes == [FeatureLevelShape(channels: 32, length: 100), FeatureLevelShape(channels: 64, length: 50)])
        let space = pipeline.searchSpaceConfiguration(encoders: encoders)
        #expect(space.inputNames == ["accelerometer.0", "accelerometer.1", "gyroscope.0", "gyroscope.1"])
    }

    /// A manifest can keep a sequence as a fixed feature level (the behaviour before `conv1d`).
    @Test func manifestEncoderKeyOverridesTheSequenceDefault() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var rng = SeededGenerator(seed: 9)
        let n = 12
        try NPYWriter.write(NPYArray(shape: [n, 2, 5], floats: Tensor.randn([n, 10], rng: &rng).values), to: directory.appendingPathComponent("a.npy").path)
        try NPYWriter.write(NPYArray(shape: [n, 3, 4], floats: Tensor.randn([n, 12], rng: &rng).values), to: directory.appendingPathComponent("b.npy").path)
        try NPYWriter.write(NPYArray(shape: [n], integers: (0..<n).map { $0 % 2 }), to: directory.appendingPathComponent("y.npy").path)
        let manifest = directory.appendingPathComponent("m.json").path
        try Data("""
        {"modalities": [{"name": "a", "file": "a.npy", "kind": "sequence", "encoder": "precomputed"},
                        {"name": "b", "file": "b.npy", "kind": "sequence"}],
         "labels": {"file": "y.npy", "kind": "multi-class", "format": "integer"}}
        """.utf8).write(to: URL(fileURLWithPath: manifest))
        let pipeline = try pipeline(manifest)
        #expect(pipeline.data.source.encoderConfiguration(modality: 0).encoder == "precomputed")
        #expect(pipeline.data.source.encoderConfiguration(modality: 1).encoder == "conv1d")
        var encoderRNG = SeededGenerator(seed: 0)
        let encoders = try pipeline.makeEncoders(rng: &encoderRNG)
        #expect(encoders[0].levelShapes == [FeatureLevelShape(channels: 2, length: 5)])
        #expect(encoders[0].parameters().isEmpty && !encoders[1].parameters().isEmpty)
    }
}
