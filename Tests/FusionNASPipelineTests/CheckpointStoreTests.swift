import Foundation
import FusionNAS
import Tensors
import Testing

@testable import FusionNASPipeline

/// A damaged latest checkpoint names the previous copy as intact only when that copy reads.
@Suite struct CheckpointStoreTests {
    /// A store with two saved epochs of stage `search`: the latest and the previous file.
    func storeWithTwoEpochs() throws -> CheckpointStore {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fusionnas-checkpoints-\(UUID().uuidString)")
        let store = try CheckpointStore(directory: directory)
        for epoch in 1...2 {
            let checkpoint = StageCheckpoint(
                tensors: [(name: "w", tensor: Tensor(shape: [2], values: [Float(epoch), 0]))], metadata: ["epoch": "\(epoch)"])
            try store.save(checkpoint, stage: "search")
        }
        return store
    }

    func truncate(_ url: URL) throws {
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
    }

    func refusal(_ store: CheckpointStore) -> String {
        do {
            _ = try store.load(stage: "search")
            Issue.record("a damaged checkpoint was read")
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func intactPreviousCheckpointIsOfferedInItsPlace() throws {
        let store = try storeWithTwoEpochs()
        defer { try? FileManager.default.removeItem(at: store.directory) }
        try truncate(store.url(for: "search"))
        let message = refusal(store)
        #expect(message.contains("checkpoint \(store.url(for: "search").path) cannot be read"), "\(message)")
        #expect(
            message.contains("the previous checkpoint \(store.previousURL(for: "search").path) is intact (it reads in full): move it to"),
            "\(message)")
    }

    @Test func damagedPreviousCheckpointIsNotCalledIntact() throws {
        let store = try storeWithTwoEpochs()
        defer { try? FileManager.default.removeItem(at: store.directory) }
        try truncate(store.url(for: "search"))
        try truncate(store.previousURL(for: "search"))
        let message = refusal(store)
        #expect(!message.contains("intact"), "\(message)")
        #expect(
            message.contains("the previous checkpoint \(store.previousURL(for: "search").path) is damaged too"), "\(message)")
        #expect(message.contains("delete both to restart this stage"), "\(message)")
    }

    @Test func missingPreviousCheckpointSaysSo() throws {
        let store = try storeWithTwoEpochs()
        defer { try? FileManager.default.removeItem(at: store.directory) }
        try truncate(store.url(for: "search"))
        try FileManager.default.removeItem(at: store.previousURL(for: "search"))
        let message = refusal(store)
        #expect(message.contains("there is no previous checkpoint; delete it to restart this stage"), "\(message)")
    }
}
