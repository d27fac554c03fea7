import Contrastive
import FusionNAS
@testable import FusionNASPipeline
import Layers
import Tensors
import TestSupport
import Testing

/// Under a communicator every stage of the pipeline splits its batches: supervised ones (fine-tuning,
/// the supervised search and its training) as the self-supervised ones, every BatchNorm then
/// normalising with the global batch's statistics. That the split stages equal one process is
/// checked with ranks played by threads (SupervisedDataParallelTests, DataParallelTests) and under
/// mpirun (CommandTests/MPISupervisedStagesTests).
@Suite struct StagesSplitOverRanksTests {
    /// Rank 1 of 2; no collective is called while the stages are wired.
    final class SecondOfTwo: Communicator {
        let rank = 1, size = 2
        func allGather(_ values: UnsafeBufferPointer<Float>) -> (values: [Float], counts: [Int]) { fatalError("not called") }
    }

    /// Rank 0 of 2 whose partner gives back a copy of whatever it gives.
    final class Mirrored: Communicator {
        let rank = 0, size = 2
        func allGather(_ values: UnsafeBufferPointer<Float>) -> (values: [Float], counts: [Int]) {
            (Array(values) + Array(values), [values.count, values.count])
        }
    }

    func pipeline() throws -> FusionPipeline {
        var c = PipelineConfiguration()
        c.modalities = ["fou", "kar"]
        c.channels = 8
        c.length = 4
        let registry = try bmnasRegistry()
        try ContrastiveComponents.register(in: registry)
        return FusionPipeline(configuration: c, registry: registry, data: try PreparedData.load(c))
    }

    @Test func supervisedAndSelfSupervisedObjectivesSplitAndSynchroniseBatchNorm() throws {
        let pipeline = try pipeline()
        let ranks = SecondOfTwo()
        pipeline.communicator = ranks
        var rng = SeededGenerator(seed: 1)
        let (network, _) = try pipeline.makeSupernetwork(encoders: try pipeline.makeEncoders(rng: &rng), readsLabels: true, rng: &rng)
        network.attachHead(outputs: 10, rng: &rng)
        let norms = network.modules().compactMap { $0 as? BatchNorm1d }
        try #require(!norms.isEmpty, "the check needs a network with BatchNorm")

        let supervised = SupervisedObjective(task: .multiClass(classes: 10))
        #expect(pipeline.splitsBatches(network: network, objective: supervised) === ranks)
        #expect(supervised.communicator === ranks)
        #expect(norms.allSatisfy { $0.statisticsGroup === ranks })

        let selfSupervised = try pipeline.makeSelfSupervisedObjective(network: network, rng: &rng)
        BatchNorm1d.synchroniseBatchStatistics(in: [network], over: nil)
        #expect(pipeline.splitsBatches(network: network, objective: selfSupervised) === ranks)
        #expect(selfSupervised.communicator === ranks)
        let objectiveNorms = selfSupervised.modules.flatMap { $0.modules() }.compactMap { $0 as? BatchNorm1d }
        #expect((norms + objectiveNorms).allSatisfy { $0.statisticsGroup === ranks })
    }

    @Test func onOneProcessNothingIsSplit() throws {
        let pipeline = try pipeline()
        pipeline.communicator = nil
        var rng = SeededGenerator(seed: 1)
        let (network, _) = try pipeline.makeSupernetwork(encoders: try pipeline.makeEncoders(rng: &rng), rng: &rng)
        let supervised = SupervisedObjective(task: .multiClass(classes: 10))
        #expect(pipeline.splitsBatches(network: network, objective: supervised) == nil)
        #expect(supervised.communicator == nil)
    }

    /// Encoder pretraining (`--encoder-training pretrained-frozen`) over 2 ranks played by threads:
    /// each encodes its rows of both views, NT-Xent sees the gathered projections, and an epoch's
    /// loss is one process's.
    @Test func encoderPretrainingOverTwoRanksEqualsOneProcess() throws {
        let pipeline = try pipeline()
        let source = pipeline.data.source, indices = Array(pipeline.data.split.train.prefix(40))
        let box = ThreadGroup.UncheckedBox((pipeline, source))
        func epochLoss(over communicator: (any Communicator)?) throws -> Double {
            var rng = SeededGenerator(seed: 1)
            let encoders = try box.value.0.makeEncoders(rng: &rng)
            let pretraining = try EncoderPretraining(
                encoders: encoders, source: box.value.1, indices: indices, epochs: 2, batchSize: 16, learningRate: 1e-3,
                temperature: 0.2, seed: 2)
            pretraining.communicator = communicator
            _ = try pretraining.runEpoch()
            return try pretraining.runEpoch()
        }
        let single = try epochLoss(over: nil)
        let ranks = ThreadGroup(size: 2).run { member in try! epochLoss(over: member) }
        for loss in ranks { #expect(Swift.abs(loss - single) <= 1e-5 * Swift.abs(single), "\(loss) against one process's \(single)") }
        // The communicator is used: a rank whose partner seems to hold a copy of its rows sees
        // other negatives and another loss.
        let mirrored = try epochLoss(over: Mirrored())
        #expect(Swift.abs(mirrored - single) > 1e-3 * Swift.abs(single), "\(mirrored) against \(single)")
    }
}
