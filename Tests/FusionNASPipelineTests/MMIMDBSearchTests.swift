import Contrastive
import Foundation
import FusionNAS
import FusionNASPipeline
import MultimodalData
import TestSupport
import Testing
import Tensors

/// A file in the public `multimodal_imdb.hdf5` layout runs the self-supervised search with one option.
@Suite struct MMIMDBSearchTests {
    @Test func smallMMIMDBFileSearchesWithFrozenPrecomputedFeatures() throws {
        let n = 120
        var rng = SeededGenerator(seed: 4)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mmimdb-\(UUID().uuidString).hdf5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let genres = Tensor(shape: [n, 23], values: (0..<(n * 23)).map { i in i % 23 == (i / 23) % 23 || i % 5 == 0 ? 1 : 0 })
        try HDF5Writer.write(
            [("features", Tensor.randn([n, 300], rng: &rng)), ("vgg_features", Tensor.randn([n, 4096], rng: &rng)), ("genres", genres)],
            to: path)
        var c = PipelineConfiguration()
        c.dataset = path
        c.channels = 8
        c.length = 2
        c.searchEpochs = 1
        c.batchSize = 32
        let registry = try bmnasRegistry()
        try ContrastiveComponents.register(in: registry)
        let pipeline = FusionPipeline(configuration: c, registry: registry, data: try PreparedData.load(c))
        #expect(pipeline.data.source.modalityNames == ["text", "image"])
        // The backbone features are used as they are: no encoder parameters to train.
        #expect(pipeline.data.source.encoderConfiguration(modality: 1).encoder == "precomputed")
        let encoders = try pipeline.selfSupervisedEncoders()
        #expect(encoders.allSatisfy { $0.parameters().isEmpty })
        let search = try pipeline.selfSupervisedSearch(encoders: encoders)
        // What the search decided: each step's primitive is the strongest non-zero one under the
        // architecture weights it learned (recorded with the genotype), not a fixed choice.
        let best = search.best
        #expect(best.genotype.inputs == ["text.0", "image.0"])
        for (k, cell) in best.genotype.cells.enumerated() {
            for (s, step) in cell.steps.enumerated() {
                let weights = try #require(best.architectureWeights["cell\(k).step\(s).primitive"])
                #expect(weights.count == pipeline.primitives.count)
                let strongest = weights.indices.filter { pipeline.primitives[$0] != "zero" }.max { weights[$0] < weights[$1] }!
                #expect(step.primitive == pipeline.primitives[strongest], "cell \(k) step \(s): \(weights)")
            }
        }
        #expect(pipeline.data.source.labelledBatchesServed == 0)
        guard case .multiLabel = pipeline.data.source.task else {
            Issue.record("MM-IMDB is multi-label")
            return
        }
    }
}
