import Foundation
import FusionNAS
import FusionNASPipeline
import Layers
import Tensors

/// `fusion-nas sweep`: both pipelines for several label fractions and seeds, tabulated and plotted.
///
/// The self-supervised search and pretraining read no label, so they run once per seed and every
/// fraction fine-tunes a copy of the same pretrained network; the supervised baseline searches
/// and trains anew for each fraction, as BM-NAS would.
enum SweepCommand {
    static let command = Command(
        name: "sweep",
        summary: "Run both pipelines (or one, --methods) for several label fractions and seeds; write results.csv, results.md and a plot.",
        options: PipelineOptions.common.filter { $0.name != PipelineOptions.labels.name } + PipelineOptions.model + PipelineOptions.search + [
            PipelineOptions.searchEpochs, PipelineOptions.pretrainEpochs, PipelineOptions.finetuneEpochs,
            PipelineOptions.fineTuning, PipelineOptions.scratchFallback,
            OptionSpec(
                name: "fractions", kind: .fractionList(),
                default: .list(["0.01", "0.05", "0.1", "0.3", "1"]), help: "Label fractions r in (0, 1]."),
            OptionSpec(
                name: "seeds", kind: .wholeNumberList(), default: .list(["0", "1", "2"]),
                help: "Seeds; each gives one run of both pipelines per fraction."),
            OptionSpec(
                name: "methods", kind: .list(placeholder: "m,m", example: "ssl,supervised"), default: .list(["ssl", "supervised"]),
                help: "Pipelines to run: ssl (self-supervised), supervised (the same search on labels, in --search-space), or both."),
            PipelineOptions.epochs(help: "Shorthand for --search-epochs."),
            WorkerFanOut.option,
        ],
        run: { given in try execute(given) })

    struct Row: Codable {
        var method: String
        var fraction: Double
        var seed: UInt64
        var metric: String
        var value: Double
        var validation: Double
        var genotype: String
    }

    static func execute(_ given: OptionValues) throws {
        if given.url("resume") != nil && given.int("workers") > 1 {
            throw UsageError("--resume continues a sweep in one process; drop --workers (each worker's run directory under workers/ can be resumed on its own)")
        }
        let fannedOut = try MPIFanOut.runIfLaunched(command, given: given) { session, directories, seeds in
            print(try mergeWorkers(directories, seeds: seeds, in: session.run))
        }
        if fannedOut { return }
        let session = try Session(options: given, label: "sweep")
        try session.perform { try execute(session) }
    }

    static func execute(_ session: Session) throws {
        let options = session.options
        let base = try PipelineOptions.configuration(options, epochs: \.searchEpochs)
        // The option kinds already refused anything but distinct fractions and whole seeds ≥ 0.
        let fractions = options.list("fractions").compactMap(Double.init)
        let seeds = options.list("seeds").compactMap { UInt64($0) }
        let methods = Set(options.list("methods"))
        if let unknown = methods.subtracting(["ssl", "supervised"]).sorted().first {
            throw UsageError("--methods expects ssl, supervised or both, e.g. --methods ssl,supervised; got '\(unknown)'")
        }
        let runsSelfSupervised = methods.contains("ssl"), runsSupervised = methods.contains("supervised")
        guard runsSelfSupervised || runsSupervised else { throw UsageError("--methods needs at least one of ssl, supervised") }
        // The data and every fraction's labelled counts, checked before the run directory exists.
        let workers = options.int("workers")
        if workers == 1 || seeds.count == 1 {
            var first = base
            first.seed = seeds[0]
            let data = try PreparedData.load(first)
            for fraction in fractions {
                first.labelFraction = fraction
                let labelled = try PreparedData.prepare(data.source.dataset, configuration: first, standardized: true)
                try LabelledCounts.require(labelled, configuration: first, for: runsSupervised ? .supervisedSearch : .fineTuning, option: "--fractions")
            }
        }
        try session.start()
        var rows: [Row] = []
        let run = session.run
        try FileManager.default.createDirectory(at: run.file("genotypes"), withIntermediateDirectories: true)
        if workers > 1 && seeds.count > 1 {
            let directories = try WorkerFanOut(command: "sweep", session: session, seeds: seeds, workers: workers).run()
            print(try mergeWorkers(directories, seeds: seeds, in: run))
            return
        }
        for seed in seeds {
            var configuration = base
            configuration.seed = seed
            configuration.labelFraction = fractions.max()!
            // Search and pretraining read no label: once per seed.
            let unlabelled = FusionPipeline(
                configuration: configuration, registry: session.registry, data: try PreparedData.load(configuration),
                observer: session.observer())
            unlabelled.checkpoints = try CheckpointStore(directory: run.url(for: .checkpoints).appendingPathComponent("seed-\(seed)"))
            var pretrained: PretrainedNetwork?
            if runsSelfSupervised {
                pretrained = try unlabelled.selfSupervisedPretrained().pretrained
                try AtomicFile.write(try pretrained!.genotype.jsonData(), to: run.file("genotypes/ssl-seed\(seed).json"))
            }
            for fraction in fractions {
                let pipeline = try unlabelled.atLabelFraction(fraction)
                // Progress and resume bookkeeping of one fraction's stages start afresh.
                pipeline.observer = session.observer()
                pipeline.checkpoints = try CheckpointStore(
                    directory: run.url(for: .checkpoints).appendingPathComponent("seed-\(seed)/r-\(fraction)"))
                var figures: [String] = []
                if let pretrained {
                    // The same fine-tuning as `run`'s, from the same pretrained weights at every fraction.
                    pretrained.restore()
                    let ssl = try pipeline.fineTuneSelfSupervised(pretrained)
                    rows.append(Row(
                        method: "ssl", fraction: fraction, seed: seed, metric: ssl.test.metric, value: ssl.test.value,
                        validation: ssl.validation.value, genotype: ssl.genotype.description))
                    figures.append(String(format: "ssl %.3f", ssl.test.value))
                }
                if runsSupervised {
                    let supervised = try pipeline.runSupervised()
                    rows.append(Row(
                        method: "supervised", fraction: fraction, seed: seed, metric: supervised.result.test.metric,
                        value: supervised.result.test.value, validation: supervised.result.validation.value,
                        genotype: supervised.result.genotype.description))
                    try AtomicFile.write(try supervised.result.genotype.jsonData(), to: run.file("genotypes/supervised-r\(fraction)-seed\(seed).json"))
                    figures.append(String(format: "supervised %.3f", supervised.result.test.value))
                }
                session.progress.milestone(String(format: "r %g seed %d: ", fraction, seed) + figures.joined(separator: ", "))
                try write(rows, in: run)
            }
        }
        let table = try write(rows, in: run)
        print(table)
    }

    /// Writes the outputs of a sweep whose seeds ran in other processes (``WorkerFanOut``,
    /// ``MPIFanOut``), from their run directories: rows merged in the order of `seeds`, genotypes copied.
    static func mergeWorkers(_ directories: [URL], seeds: [UInt64], in run: RunDirectory) throws -> String {
        let rows = try WorkerFanOut.mergedRows(directories, seeds: seeds, seedOf: \Row.seed)
        try FileManager.default.createDirectory(at: run.file("genotypes"), withIntermediateDirectories: true)
        for directory in directories {
            let genotypes = directory.appendingPathComponent("genotypes")
            for name in try FileManager.default.contentsOfDirectory(atPath: genotypes.path) {
                let target = run.file("genotypes").appendingPathComponent(name)
                // A resumed fan-out copies again what an earlier merge copied.
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: genotypes.appendingPathComponent(name), to: target)
            }
        }
        return try write(rows, in: run)
    }

    /// Writes results.csv (one row per method, fraction and seed), results.md (mean ± std) and the plot.
    @discardableResult
    static func write(_ rows: [Row], in run: RunDirectory) throws -> String {
        try WorkerFanOut.writeRows(rows, in: run)
        var csv = "method,fraction,seed,metric,value,validation,genotype\n"
        for r in rows {
            csv += "\(r.method),\(r.fraction),\(r.seed),\(r.metric),\(r.value),\(r.validation),\"\(r.genotype)\"\n"
        }
        try AtomicFile.write(Data(csv.utf8), to: run.file("results.csv"))
        let fractions = Array(Set(rows.map(\.fraction))).sorted()
        let metric = rows.first?.metric ?? "metric"
        var table = MarkdownTable(headers: ["label fraction", "self-supervised (\(metric))", "supervised (\(metric))", "seeds"])
        var plot = SVGPlot(title: "Test \(metric) against label fraction", xLabel: "label fraction r (log10)", yLabel: metric)
        for method in ["ssl", "supervised"] {
            plot.add(method == "ssl" ? "self-supervised" : "supervised", points: fractions.compactMap { f in
                let values = rows.filter { $0.method == method && $0.fraction == f }.map(\.value)
                return values.isEmpty ? nil : (x: Foundation.log10(f), y: meanAndStd(values).mean)
            })
        }
        for f in fractions {
            let cell = { (method: String) -> String in
                let values = rows.filter { $0.method == method && $0.fraction == f }.map(\.value)
                guard !values.isEmpty else { return "" }
                let (mean, std) = meanAndStd(values)
                return String(format: "%.3f ± %.3f", mean, std)
            }
            table.addRow([String(format: "%g%%", f * 100), cell("ssl"), cell("supervised"), "\(Set(rows.filter { $0.fraction == f }.map(\.seed)).count)"])
        }
        let text = "# fusion-nas sweep\n\n" + table.render()
        try AtomicFile.write(Data(text.utf8), to: run.file("results.md"))
        try AtomicFile.write(Data(text.utf8), to: run.url(for: .summaryMarkdown))
        try plot.write(to: run.file("metric-vs-fraction.svg"))
        return text
    }

    /// Mean and sample standard deviation (0 for one value).
    static func meanAndStd(_ values: [Double]) -> (mean: Double, std: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, 0) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }
}
