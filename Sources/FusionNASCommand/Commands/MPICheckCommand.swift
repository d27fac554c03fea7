import Contrastive
import Foundation
import FusionNAS
import Layers
import MessagePassing
import Tensors

/// `fusion-nas mpi-check`: run under `mpirun` (or `srun --mpi=pmix`) before a long job, to see
/// that the ranks reach each other and that contrastive losses on negatives gathered across the
/// ranks equal, loss and gradients, one process's losses on the concatenated batch.
///
/// Every rank builds the same global batch from the seed and keeps its own rows; a projection `W`
/// (a parameter before the gather) maps them to embeddings, which are gathered with
/// ``Tensors/Tensor/gatheredRows(over:)`` before NT-Xent and CLIP's InfoNCE (whose logit scale is
/// a parameter after the gather). The gradients are averaged over the ranks, as a data-parallel
/// step does, and rank 0 compares them with the one-process loss on the whole batch.
enum MPICheckCommand {
    static let command = Command(
        name: "mpi-check",
        summary: "Under mpirun: check that contrastive losses on negatives gathered across ranks equal one process's (loss and gradients).",
        discussion: """
            Run it as 'mpirun -np 2 fusion-nas mpi-check' (as root add --allow-run-as-root, and \
            --oversubscribe for more ranks than cores) or 'srun --mpi=pmix fusion-nas mpi-check'. \
            Without a launcher it runs as one rank. Exits with 1 when a difference exceeds --tolerance.
            """,
        options: [
            OptionSpec(name: "rows", kind: .int(minimum: 1), default: .int(4), help: "Rows of the batch each rank holds."),
            OptionSpec(name: "dimension", kind: .int(minimum: 1), default: .int(8), help: "Embedding dimension."),
            OptionSpec(name: "seed", kind: .int(minimum: 0), default: .int(0), help: "Seed of the batch and the projection."),
            OptionSpec(
                name: "tolerance", kind: .double(positive: true, example: "1e-5"), default: .double(1e-5),
                help: "Largest difference allowed, relative to the largest magnitude of the one-process figure."),
        ],
        run: { given in try execute(given) })

    static func execute(_ options: OptionValues) throws {
        let world: Communicator = MPILaunch.isLaunched() ? MPIWorld.shared : SingleProcess()
        defer { (world as? MPIWorld)?.finalize() }
        Threading.setThreads(1)
        let check = GatheredNegativesCheck(
            rowsPerRank: options.int("rows"), dimension: options.int("dimension"), seed: UInt64(options.int("seed")))
        var worst = 0.0
        var lines = ["ranks \(world.size), global batch \(check.rowsPerRank * world.size)"]
        for objective in ["ntxent", "clip"] {
            let distributed = try check.run(objective, over: world)
            let single = try check.run(objective, over: SingleProcess(), globalRanks: world.size)
            let comparison = zip(distributed, single).map { pair in
                (name: pair.0.name, difference: relativeDifference(pair.0.values, pair.1.values))
            }
            worst = max(worst, comparison.map(\.difference).max() ?? 0)
            lines.append(
                "\(objective): loss \(distributed[0].values[0]) (one process \(single[0].values[0])); relative differences "
                    + comparison.map { "\($0.name) \(String(format: "%.2e", $0.difference))" }.joined(separator: ", "))
        }
        let tolerance = options.double("tolerance")
        if world.rank == 0 {
            lines.append(worst <= tolerance ? "ok: within \(tolerance)" : "FAILED: \(worst) exceeds --tolerance \(tolerance)")
            print(lines.joined(separator: "\n"))
        }
        if worst > tolerance { throw ExitCode(1) }
    }

    /// max |a - b| / max(max |b|, 1e-12).
    static func relativeDifference(_ a: [Float], _ b: [Float]) -> Double {
        let scale = max(b.map { Double(Swift.abs($0)) }.max() ?? 0, 1e-12)
        return zip(a, b).map { Double(Swift.abs($0 - $1)) }.max().map { $0 / scale } ?? 0
    }
}

/// The computation of `mpi-check`: the loss and the rank-averaged gradients of one objective on
/// the global batch, its rows spread over `communicator`'s ranks.
struct GatheredNegativesCheck {
    let rowsPerRank: Int
    let dimension: Int
    let seed: UInt64

    /// Loss, then the gradient of W, then (CLIP) that of the logit scale; identical on every rank.
    ///
    /// - Parameter globalRanks: the rank count the global batch is built for (a one-process
    ///   reference of a K-rank run passes K).
    func run(_ objective: String, over communicator: Communicator, globalRanks: Int? = nil) throws -> [(name: String, values: [Float])] {
        let ranks = globalRanks ?? communicator.size
        let batch = rowsPerRank * ranks, inputs = dimension + 3
        var rng = SeededGenerator(seed: seed)
        let views = (0..<2).map { _ in Tensor.randn([batch, inputs], rng: &rng) }
        let projection = Tensor.randn([inputs, dimension], std: 0.5, rng: &rng).requiringGrad()
        // This rank's rows; one process holds them all.
        let own = communicator.size == 1 ? 0..<batch : communicator.rank * rowsPerRank..<(communicator.rank + 1) * rowsPerRank
        let embeddings = views.map { view in
            view.slice(axis: 0, start: own.lowerBound, end: own.upperBound).matmul(projection).gatheredRows(over: communicator)
        }
        let loss: Tensor
        var parameters = [("W", projection)]
        switch objective {
        case "ntxent":
            loss = try NTXentLoss().loss(ObjectiveEmbeddings(views: embeddings))
        default:
            let clip = try CLIPInfoNCELoss()
            loss = try clip.loss(ObjectiveEmbeddings(views: embeddings))
            parameters.append(("logit scale", clip.logitScale))
        }
        loss.backward()
        communicator.averageGradients(of: parameters.map(\.1))
        return [(name: "loss", values: [loss.item])]
            + parameters.map { (name: "\($0.0) gradient", values: $0.1.grad?.values ?? []) }
    }
}
