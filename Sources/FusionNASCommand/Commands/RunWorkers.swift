import Foundation
import FusionNASPipeline
import Layers

/// `run --workers 2`: the self-supervised pipeline and the supervised baseline run at once, each
/// in a worker process of ``WorkerFanOut`` (`workers/ssl`, `workers/supervised`, with their logs
/// beside them), and the parent gathers what they wrote into the run directory.
///
/// The arms share no state (see ``RunArm``), so the gathered files equal, bit for bit, those of
/// `--workers 1`: each arm's genotype, architecture-weight history, weights and checkpoints are
/// copied as the worker wrote them, and `metrics.jsonl` is the self-supervised worker's lines then
/// the supervised worker's, the order in which one process writes them. The two arms are of
/// unequal length, so the wall time is that of the longer arm rather than their sum.
enum RunWorkers {
    /// A worker's files that are its own bookkeeping rather than the arm's outputs.
    static let bookkeeping: Set<String> = [
        RunDirectory.File.config.rawValue, RunDirectory.File.metrics.rawValue, RunDirectory.File.checkpoints.rawValue,
        DataFingerprints.fileName, RunArm.resultFile,
    ]

    /// Runs both arms in workers, copies their outputs into the session's run directory and returns
    /// their results, self-supervised first.
    static func run(_ session: Session) throws -> (ssl: MethodResult, supervised: MethodResult) {
        let shares = RunArm.allCases.map { arm in
            WorkerFanOut.Share(name: arm.rawValue, description: arm.description, arguments: ["--\(RunArm.option.name)", arm.rawValue])
        }
        let directories: [URL]
        do {
            directories = try WorkerFanOut(command: RunCommand.command.name, session: session, shares: shares, workers: shares.count).run()
        } catch let failure as WorkerFailure {
            throw WorkerFailure(
                message: failure.message
                    + "\nthe arms' checkpoints are kept; fusion-nas run --resume \(session.run.url.path) continues both where they stopped")
        }
        var metrics = Data()
        for directory in directories {
            metrics += try Data(contentsOf: directory.appendingPathComponent(RunDirectory.File.metrics.rawValue))
            try copyOutputs(from: directory, to: session.run.url)
            try copyOutputs(
                from: directory.appendingPathComponent(RunDirectory.File.checkpoints.rawValue),
                to: session.run.url(for: .checkpoints))
        }
        try session.replaceMetrics(with: metrics)
        let results = try directories.map(RunArm.readResult(in:))
        return (results[0], results[1])
    }

    /// Copies the plain files of `source` but hidden ones and ``bookkeeping`` into `target`,
    /// replacing what an earlier, resumed merge copied.
    static func copyOutputs(from source: URL, to target: URL) throws {
        let manager = FileManager.default
        for name in try manager.contentsOfDirectory(atPath: source.path).sorted()
        where !name.hasPrefix(".") && !bookkeeping.contains(name) {
            let destination = target.appendingPathComponent(name)
            try? manager.removeItem(at: destination)
            try manager.copyItem(at: source.appendingPathComponent(name), to: destination)
        }
    }
}
