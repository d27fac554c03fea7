import Foundation
import FusionNAS
import Layers
import Tensors

/// Where the pipeline keeps one checkpoint per stage, replaced atomically after every epoch.
///
/// `checkpoints/<stage>.safetensors` is the latest state; the state one epoch older is kept as
/// `<stage>.previous.safetensors`, so a checkpoint damaged on disk never costs more than an epoch.
/// A damaged checkpoint is refused with a message naming it and saying whether the previous one
/// reads (and so can replace it).
public final class CheckpointStore {
    public let directory: URL

    public init(directory: URL) throws {
        self.directory = directory
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw ComponentError("cannot create checkpoint directory \(directory.path): \(error.localizedDescription)")
        }
    }

    func fileName(_ stage: String) -> String { stage.replacingOccurrences(of: "/", with: "-") }
    public func url(for stage: String) -> URL { directory.appendingPathComponent(fileName(stage) + ".safetensors") }
    public func previousURL(for stage: String) -> URL { directory.appendingPathComponent(fileName(stage) + ".previous.safetensors") }

    /// Writes `checkpoint` as the latest state of `stage`, keeping the one it replaces as the previous
    /// state. The latest file is valid at every moment: it is copied, then replaced atomically.
    public func save(_ checkpoint: StageCheckpoint, stage: String) throws {
        let latest = url(for: stage), previous = previousURL(for: stage)
        let manager = FileManager.default
        if manager.fileExists(atPath: latest.path) {
            try AtomicFile.write(try Data(contentsOf: latest), to: previous)
        }
        try Safetensors.write(checkpoint.tensors, metadata: checkpoint.metadata, to: latest)
    }

    /// The latest state of `stage`, or nil when it never saved one.
    public func load(stage: String) throws -> StageCheckpoint? {
        let latest = url(for: stage)
        guard FileManager.default.fileExists(atPath: latest.path) else { return nil }
        do {
            let (tensors, metadata) = try Safetensors.read(from: latest)
            return StageCheckpoint(tensors: tensors.sorted { $0.key < $1.key }.map { (name: $0.key, tensor: $0.value) }, metadata: metadata)
        } catch {
            throw ComponentError(.incompatibleCheckpoint, "checkpoint \(latest.path) cannot be read (\(error)); \(previousCheckpointHint(stage: stage))")
        }
    }

    /// What to do about a damaged latest checkpoint. The previous copy is called intact only after
    /// it has been read in full: a kill or a full disk can damage both, and telling the user to move
    /// a damaged copy into place would only lead to the same refusal one step later.
    func previousCheckpointHint(stage: String) -> String {
        let latest = url(for: stage), previous = previousURL(for: stage)
        guard FileManager.default.fileExists(atPath: previous.path) else {
            return "there is no previous checkpoint; delete it to restart this stage"
        }
        do {
            _ = try Safetensors.read(from: previous)
            return "the previous checkpoint \(previous.path) is intact (it reads in full): move it to \(latest.path) to resume from one epoch earlier"
        } catch {
            return "the previous checkpoint \(previous.path) is damaged too (\(error)); delete both to restart this stage"
        }
    }
}
