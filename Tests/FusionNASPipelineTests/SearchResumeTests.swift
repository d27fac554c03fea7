import Foundation
@testable import FusionNAS
import FusionNASPipeline
import Layers
import MultimodalData
import TestSupport
import Testing

/// A search stopped after an epoch and resumed from its checkpoint (what `--resume` does through
/// `FusionPipeline.drive`) ends exactly where an uninterrupted one does, in both spaces: `bmnas`
/// (a weight epoch then an architecture pass, SGDR restarting after epochs 1 and 3) and `fusionnas`
/// (an architecture step after every weight batch, cosine schedule over the whole search), each
/// with the Beta-Decay ramp on.
@Suite struct SearchResumeTests {
    static let stage = Stage.supervisedSearch.name

    /// The schedule tests' small search, one epoch longer (so a resume lands mid-cycle) and with Beta-Decay.
    static func pipeline(space: String, checkpoints: URL) throws -> FusionPipeline {
        let pipeline = try BMNASReferenceSearchScheduleTests.pipeline(space: space) {
            $0.searchEpochs = 3
            $0.betaDecay = 0.5
        }
        pipeline.checkpoints = try CheckpointStore(directory: checkpoints)
        return pipeline
    }

    /// The history as JSON without the wall-clock seconds, the one field that may differ.
    static func history(_ search: ArchitectureSearch) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(search.history.map { record -> SearchEpochRecord in
            var record = record
            record.seconds = 0
            return record
        })
    }

    /// Every tensor of a stage's final checkpoint (network, objective, both optimizers' moments and
    /// step counts), as raw bytes by name.
    static func tensors(_ store: CheckpointStore) throws -> [String: Data] {
        let checkpoint = try #require(try store.load(stage: stage))
        return Dictionary(uniqueKeysWithValues: checkpoint.tensors.map { name, tensor in
            (name, Data(buffer: UnsafeBufferPointer(start: tensor.data, count: tensor.count)))
        })
    }

    @Test(arguments: ["bmnas", "fusionnas"])
    func aSearchResumedAfterAnEpochEndsAsAnUninterruptedOne(space: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("search-resume-\(space)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let whole = try Self.pipeline(space: space, checkpoints: directory.appendingPathComponent("whole"))
        let uninterrupted = try whole.supervisedSearch()

        // The state after epoch 2 is the uninterrupted run's previous checkpoint: a run killed during
        // epoch 3 resumes from exactly that file.
        let resumedStore = directory.appendingPathComponent("resumed")
        try FileManager.default.createDirectory(at: resumedStore, withIntermediateDirectories: true)
        let stopped = try #require(whole.checkpoints).previousURL(for: Self.stage)
        let resumedPipeline = try Self.pipeline(space: space, checkpoints: resumedStore)
        try FileManager.default.copyItem(at: stopped, to: try #require(resumedPipeline.checkpoints).url(for: Self.stage))
        var resumedAfter: Int?
        resumedPipeline.observer = { event in
            if case .resumed(_, let epoch) = event { resumedAfter = epoch }
        }
        let resumed = try resumedPipeline.supervisedSearch()

        #expect(resumedAfter == 2, "the second run resumed from the checkpoint after epoch 2")
        #expect(resumed.genotype == uninterrupted.genotype)
        #expect(resumed.best.epoch == uninterrupted.best.epoch)
        #expect(try Self.history(resumed.searcher) == Self.history(uninterrupted.searcher))
        let resumedTensors = try Self.tensors(try #require(resumedPipeline.checkpoints))
        let wholeTensors = try Self.tensors(try #require(whole.checkpoints))
        #expect(resumedTensors.keys.sorted() == wholeTensors.keys.sorted())
        let differing = wholeTensors.keys.filter { resumedTensors[$0] != wholeTensors[$0] }.sorted()
        #expect(differing.isEmpty, "tensors that differ after resuming: \(differing.prefix(10))")
        // The step counters a resumed search reports are the whole search's, not this process's.
        #expect(resumed.searcher.weightSteps == uninterrupted.searcher.weightSteps)
        #expect(resumed.searcher.architectureSteps == uninterrupted.searcher.architectureSteps)
        #expect(uninterrupted.searcher.weightSteps > 0 && uninterrupted.searcher.architectureSteps > 0)
    }
}
