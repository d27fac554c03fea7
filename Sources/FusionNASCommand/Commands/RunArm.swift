import Foundation
import FusionNAS
import FusionNASPipeline
import Layers

/// One of the two arms of `fusion-nas run`: the self-supervised pipeline or the supervised
/// baseline, with the files it leaves in the run directory.
///
/// The arms share no state: every stage draws from its own seeds (``Stage``), the supervised arm
/// builds its encoders afresh rather than taking the self-supervised ones, and the data (split,
/// standardisation, labelled indices) is a function of the configuration alone. So an arm gives the
/// same numbers whether it runs after the other in one process or alone in a worker of
/// `run --workers 2` (``RunWorkers``).
enum RunArm: String, CaseIterable {
    case ssl
    case supervised

    /// Hidden: `run --workers 2` passes it to the worker that runs one arm.
    static let option = OptionSpec(
        name: "arm", kind: .choice(allCases.map(\.rawValue)),
        help: "Run one arm only and write its result for the parent run (internal to --workers 2).", hidden: true)

    /// `run`'s `--workers`: the arms are its only independent shares.
    static let workersOption = OptionSpec(
        name: "workers", kind: .int(minimum: 1, maximum: 2), default: .int(1),
        help: "2 runs the self-supervised pipeline and the supervised baseline at once, in two processes with threads / 2 threads each; outputs equal --workers 1.")

    /// Where a worker leaves the arm's ``MethodResult`` for the parent, exact to the bit.
    static let resultFile = "arm-result.json"

    /// The prefix of the arm's files in the run directory.
    var prefix: String { self == .ssl ? "" : "supervised-" }

    /// What the arm runs, in words.
    var description: String { self == .ssl ? "the self-supervised pipeline" : "the supervised baseline" }

    /// Runs the arm to the end and writes its genotype, architecture-weight history and weights into `run`.
    func run(_ pipeline: FusionPipeline, in run: RunDirectory) throws -> MethodResult {
        let (result, network, search) = self == .ssl ? try pipeline.runSelfSupervised() : try pipeline.runSupervised()
        try RunArtifacts.writeGenotype(result.genotype, in: run, prefix: prefix)
        try RunArtifacts.writeWeightHistory(search.history, primitives: pipeline.primitives, in: run, prefix: prefix)
        try RunArtifacts.writeWeights(network, genotype: result.genotype, to: run.file(prefix + "weights.safetensors"))
        return result
    }

    /// Writes `result` for the parent run (JSON round-trips every `Double` exactly).
    static func writeResult(_ result: MethodResult, in run: RunDirectory) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(result), to: run.file(resultFile))
    }

    /// The result a worker wrote in `directory`.
    static func readResult(in directory: URL) throws -> MethodResult {
        try JSONDecoder().decode(MethodResult.self, from: Data(contentsOf: directory.appendingPathComponent(resultFile)))
    }
}
