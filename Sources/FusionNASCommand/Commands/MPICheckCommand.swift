import BMNAS
import Contrastive
import Foundation
import FusionNAS
import FusionNASPipeline
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
            OptionSpec(
                name: "search-epochs", kind: .int(minimum: 0), default: .int(0),
                help: "Also run a data-parallel self-supervised search for this many epochs and compare it with one process (0: skip)."),
            OptionSpec(name: "channels", kind: .int(minimum: 1), default: .int(8), help: "Search: supernet channels C."),
            OptionSpec(name: "length", kind: .int(minimum: 1), default: .int(4), help: "Search: supernet length L."),
            OptionSpec(name: "batch-size", kind: .int(minimum: 2), default: .int(32), help: "Search: the global batch, split over the ranks."),
            OptionSpec(
                name: "search-tolerance", kind: .double(positive: true, example: "1e-4"), default: .double(1e-4),
                help: "Search: largest relative difference of a loss or score from one process's."),
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
        var failed = worst > tolerance
        lines.append(failed ? "FAILED: \(worst) exceeds --tolerance \(tolerance)" : "ok: within \(tolerance)")
        if options.int("search-epochs") > 0 {
            let search = try DataParallelSearchCheck(options: options).run(over: world)
            lines += search.lines
            failed = failed || !search.passed
        }
        if world.rank == 0 { print(lines.joined(separator: "\n")) }
        if failed { throw ExitCode(1) }
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

/// `mpi-check --search-epochs N`: a self-supervised search (NT-Xent, `uci-mfeat` views fou and
/// kar, the default dropout) with each global batch split over the ranks
/// (``FusionPipeline/communicator``), against the same search in one process, which every rank
/// also runs. Dropout masks are drawn for the global batch and sliced (``Tensors/BatchShard``), so
/// they are one process's (Docs/distributed.md).
struct DataParallelSearchCheck {
    let configuration: PipelineConfiguration
    let tolerance: Double

    init(options: OptionValues) {
        var configuration = PipelineConfiguration()
        configuration.modalities = ["fou", "kar"]
        configuration.searchEpochs = options.int("search-epochs")
        configuration.channels = options.int("channels")
        configuration.length = options.int("length")
        configuration.batchSize = options.int("batch-size")
        configuration.seed = UInt64(options.int("seed"))
        self.configuration = configuration
        tolerance = options.double("search-tolerance")
    }

    func run(over world: Communicator) throws -> (lines: [String], passed: Bool) {
        let registry = ComponentRegistry()
        try BuiltInEncoders.register(in: registry)
        try BMNASComponents.register(in: registry)
        try ContrastiveComponents.register(in: registry)
        let data = try PreparedData.load(configuration)
        let single = try search(over: nil, registry: registry, data: data)
        let split = try search(over: world, registry: registry, data: data)
        var lines = [
            "search (C \(configuration.channels), L \(configuration.length), global batch \(configuration.batchSize), \(configuration.searchEpochs) epochs):"
        ]
        var worst = 0.0
        for (a, b) in zip(split.history, single.history) {
            let figures = [("train loss", a.trainLoss, b.trainLoss), ("held-out loss", a.heldOutLoss, b.heldOutLoss), ("score", a.score, b.score)]
            let differences = figures.map { Swift.abs($0.1 - $0.2) / max(Swift.abs($0.2), 1e-12) }
            worst = max(worst, differences.max() ?? 0)
            lines.append(
                "  epoch \(a.epoch): " + zip(figures, differences).map { String(format: "%@ %.6f (one process %.6f)", $0.0.0, $0.0.1, $0.0.2) }.joined(separator: ", ")
                    + String(format: "; largest relative difference %.1e", differences.max() ?? 0))
        }
        let stepDifferences = zip(split.stepLosses, single.stepLosses).map { Swift.abs($0 - $1) / max(Swift.abs($1), 1e-12) }
        lines.append(String(
            format: "  step losses: first %.7f (one process %.7f), relative differences first %.1e, largest %.1e over %d steps",
            split.stepLosses.first ?? .nan, single.stepLosses.first ?? .nan, stepDifferences.first ?? 0, stepDifferences.max() ?? 0,
            stepDifferences.count))
        let sameGenotype = split.genotype == single.genotype
        lines.append("  genotype \(sameGenotype ? "same" : "DIFFERS"): \(split.genotype) (one process \(single.genotype))")
        lines.append(String(
            format: "  time per search step: %.1f ms over %d ranks, %.1f ms in one process (%.2fx)", split.secondsPerStep * 1000,
            world.size, single.secondsPerStep * 1000, single.secondsPerStep / max(split.secondsPerStep, 1e-12)))
        let passed = sameGenotype && worst <= tolerance
        lines.append(passed ? "ok: search within \(tolerance)" : "FAILED: search differs (\(worst) against --search-tolerance \(tolerance))")
        return (lines, passed)
    }

    struct Outcome {
        var history: [SearchEpochRecord]
        var genotype: Genotype
        var secondsPerStep: Double
        var stepLosses: [Double]
    }

    /// One search; its time per step is the median interval between consecutive steps of an epoch
    /// (a weight and an architecture step; the held-out scoring between epochs is left out).
    func search(over communicator: Communicator?, registry: ComponentRegistry, data: PreparedData) throws -> Outcome {
        var stepTimes: [Double] = [], losses: [Double] = []
        var previous: Double?
        let pipeline = FusionPipeline(configuration: configuration, registry: registry, data: data) { event in
            guard case .step(_, _, let step, _, let loss) = event else { return }
            losses.append(loss)
            let now = ProcessInfo.processInfo.systemUptime
            if step > 1, let previous { stepTimes.append(now - previous) }
            previous = now
        }
        pipeline.communicator = communicator
        let search = try pipeline.selfSupervisedSearch(encoders: try pipeline.selfSupervisedEncoders())
        let perStep = stepTimes.isEmpty ? 0 : stepTimes.sorted()[stepTimes.count / 2]
        return Outcome(history: search.searcher.history, genotype: search.best.genotype, secondsPerStep: perStep, stepLosses: losses)
    }
}
