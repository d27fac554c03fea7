import Foundation
import FusionNAS
import FusionNASPipeline
import Layers

/// `fusion-nas study`: networks that differ only in the named factor (where the architecture comes
/// from, or how the weights start), over label fractions and seeds; see ``FusionStudy``.
enum StudyCommand {
    static let command = Command(
        name: "study",
        summary: "Train arms that differ only in the architecture's origin or the starting weights, over fractions and seeds; write study.csv, study.md and a plot.",
        discussion: """
            Architectures: ssl-search (found without labels), supervised-search (the supervised search, \
            BM-NAS's objective, on the r labels), full-label-search (supervised search on every training label), random \
            (uniform draws from the same space, --draws per seed), late-fusion (concat_fc of each \
            modality's top level), linear (logistic regression on the standardised views). Weights: \
            ssl-pretrained (pretrained without labels on all training inputs) or scratch. Every arm \
            of a fraction and seed fine-tunes with the same labelled indices, fine-tuning mode, epochs \
            and stage seed, and selects on the same labelled validation subset; the test split is \
            read once per reported figure.
            """,
        options: PipelineOptions.common.filter { $0.name != PipelineOptions.labels.name } + PipelineOptions.model + PipelineOptions.search + [
            PipelineOptions.searchEpochs, PipelineOptions.pretrainEpochs, PipelineOptions.finetuneEpochs,
            PipelineOptions.fineTuning,
            OptionSpec(
                name: "fractions", kind: .fractionList(),
                default: .list(["0.01", "0.05", "0.1", "1"]), help: "Label fractions r in (0, 1]."),
            OptionSpec(
                name: "seeds", kind: .wholeNumberList(example: "0,1,2,3,4"), default: .list(["0", "1", "2", "3", "4"]),
                help: "Seeds; each runs every arm at every fraction."),
            OptionSpec(
                name: "architectures",
                kind: .list(placeholder: "a,b,...", example: "ssl-search,random,linear", allowed: StudyArchitecture.allCases.map(\.rawValue)),
                default: .list(StudyArchitecture.allCases.map(\.rawValue)), help: "Where the arms' architectures come from."),
            OptionSpec(
                name: "weights",
                kind: .list(placeholder: "w,w", example: "ssl-pretrained,scratch", allowed: StudyWeights.allCases.map(\.rawValue)),
                default: .list(StudyWeights.allCases.map(\.rawValue)), help: "How the arms' networks start before fine-tuning."),
            OptionSpec(name: "draws", kind: .int(minimum: 1), default: .int(3), help: "Random architectures drawn per seed."),
            WorkerFanOut.option,
        ],
        run: { given in try execute(given) })

    static func execute(_ given: OptionValues) throws {
        if given.url("resume") != nil && given.int("workers") > 1 {
            throw UsageError("--resume continues a study in one process; drop --workers (each worker's run directory under workers/ can be resumed on its own)")
        }
        let fannedOut = try MPIFanOut.runIfLaunched(command, given: given) { session, directories, seeds in
            let rows = try WorkerFanOut.mergedRows(directories, seeds: seeds, seedOf: \StudyRow.seed)
            try write(rows, in: session.run)
            print(StudyReport(rows: rows).markdown(title: "fusion-nas study"))
        }
        if fannedOut { return }
        let session = try Session(options: given, label: "study")
        // Read from the session: a resumed study's lists are the saved ones.
        // The option kinds already refused unknown names, repeats, and anything but distinct
        // fractions and whole seeds ≥ 0.
        let architectures = session.options.list("architectures").compactMap(StudyArchitecture.init(rawValue:))
        let weights = session.options.list("weights").compactMap(StudyWeights.init(rawValue:))
        let fractions = session.options.list("fractions").compactMap(Double.init)
        let seeds = session.options.list("seeds").compactMap { UInt64($0) }
        try session.perform {
            try DataPreflight.check(
                try PipelineOptions.configuration(session.options, epochs: \.searchEpochs), fractions: fractions, seeds: seeds,
                use: architectures.contains(.supervisedSearch) ? .supervisedSearch : .fineTuning, option: "--fractions")
            try session.start()
            let run = session.run
            var rows: [StudyRow] = []
            let workers = session.options.int("workers")
            if workers > 1 && seeds.count > 1 {
                let directories = try WorkerFanOut(command: "study", session: session, seeds: seeds, workers: workers).run()
                rows = try WorkerFanOut.mergedRows(directories, seeds: seeds, seedOf: \StudyRow.seed)
                try write(rows, in: run)
            } else {
                let configuration = try PipelineOptions.configuration(session.options, epochs: \.searchEpochs)
                let study = FusionStudy(
                    configuration: configuration, registry: session.registry, architectures: architectures, weights: weights,
                    fractions: fractions, randomDraws: session.options.int("draws"))
                study.observer = session.observer()
                rows = try finishedSeeds(of: session, seeds: seeds, rowsPerSeed: study.rowsPerSeed)
                let finished = Set(rows.map(\.seed))
                for seed in seeds where !finished.contains(seed) {
                    try study.run(seed: seed) { row in
                        rows.append(row)
                        session.progress.milestone(String(
                            format: "seed %d r %g %@%@: test %.3f (validation %.3f)", Int(row.seed), row.fraction,
                            StudyReport.Arm(architecture: row.architecture, weights: row.weights).name,
                            row.draw.map { " draw \($0)" } ?? "", row.value, row.validationValue))
                        try write(rows, in: run)
                    }
                }
                // A resumed study ran its unfinished seeds after the finished ones; the files list
                // seeds in the order given, as an uninterrupted study does.
                let position = Dictionary(uniqueKeysWithValues: seeds.enumerated().map { ($1, $0) })
                rows = rows.enumerated().sorted { a, b in
                    (position[a.element.seed] ?? 0, a.offset) < (position[b.element.seed] ?? 0, b.offset)
                }.map(\.element)
                try write(rows, in: run)
            }
            print(StudyReport(rows: rows).markdown(title: "fusion-nas study"))
        }
    }

    /// The rows of the seeds a resumed study had finished, in the order of `seeds`; a seed with
    /// only some of its rows is run again from its start (its label-free work is not checkpointed),
    /// which gives the rows an uninterrupted study would have written, since seeds share nothing.
    static func finishedSeeds(of session: Session, seeds: [UInt64], rowsPerSeed: Int) throws -> [StudyRow] {
        let saved = session.run.file(WorkerFanOut.rowsFile)
        guard session.run.isResumed, FileManager.default.fileExists(atPath: saved.path) else { return [] }
        let rows: [StudyRow]
        do {
            rows = try JSONDecoder().decode([StudyRow].self, from: Data(contentsOf: saved))
        } catch {
            throw UsageError("cannot resume: \(saved.path) is not a study's rows (\(error)); start a new study with --out")
        }
        let finished = seeds.filter { seed in rows.count(where: { $0.seed == seed }) == rowsPerSeed }
        let unfinished = seeds.filter { !finished.contains($0) }
        session.progress.info(
            "resuming: seeds finished: \(finished.isEmpty ? "none" : finished.map(String.init).joined(separator: ", "))"
                + "; seeds to run from their start: \(unfinished.isEmpty ? "none" : unfinished.map(String.init).joined(separator: ", "))")
        return finished.flatMap { seed in rows.filter { $0.seed == seed } }
    }

    static func write(_ rows: [StudyRow], in run: RunDirectory) throws {
        let report = StudyReport(rows: rows)
        try WorkerFanOut.writeRows(rows, in: run)
        try AtomicFile.write(Data(report.csv().utf8), to: run.file("study.csv"))
        let text = report.markdown(title: "fusion-nas study")
        try AtomicFile.write(Data(text.utf8), to: run.file("study.md"))
        try AtomicFile.write(Data(text.utf8), to: run.url(for: .summaryMarkdown))
        try report.plot(title: "Test figure against label fraction, per arm").write(to: run.file("study.svg"))
    }
}
