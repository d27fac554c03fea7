import Foundation
import FusionNAS
import FusionNASPipeline
import Layers
import MessagePassing

/// `fusion-nas run`: the whole self-supervised pipeline and the supervised baseline beside it.
enum RunCommand {
    static let command = Command(
        name: "run",
        summary: "Search, pretrain and fine-tune without labels, then compare with supervised search (the main job).",
        discussion: """
            Self-supervised pipeline: encoders pretrained without labels, a DARTS search over BM-NAS-style \
            cells (--search-space: fusionnas, or bmnas for BM-NAS's own) driven by a contrastive loss, the \
            found network pretrained with the same loss, then fine-tuned with a fraction --labels of the \
            training labels. Beside it, the supervised baseline (BM-NAS's objective, in the same space) \
            searches and trains with those labels only. Both are evaluated on the test split.
            """,
        options: PipelineOptions.common + PipelineOptions.model + PipelineOptions.search + [
            PipelineOptions.searchEpochs, PipelineOptions.pretrainEpochs, PipelineOptions.finetuneEpochs,
            PipelineOptions.fineTuning, PipelineOptions.scratchFallback,
            PipelineOptions.epochs(help: "Shorthand for --search-epochs."),
            RunArm.workersOption, RunArm.option,
        ],
        run: { options in try execute(options) })

    static func execute(_ given: OptionValues) throws {
        if given.url("resume") != nil && given.int("workers") > 1 {
            throw UsageError(
                "--resume continues a run with the --workers it was started with (its config.json says which); drop --workers")
        }
        if given.int("workers") > 1 && MPILaunch.isLaunched() {
            throw UsageError("--workers 2 and mpirun both split a run between processes; use one of them (drop --workers under mpirun)")
        }
        let session = try Session(options: given, label: "run")
        try session.perform { try execute(session) }
    }

    static func execute(_ session: Session) throws {
        let configuration = try PipelineOptions.configuration(session.options, epochs: \.searchEpochs)
        let data = try PreparedData.load(configuration)
        // Both fine-tuning and the supervised baseline need enough labels; known before any stage.
        try LabelledCounts.require(data, configuration: configuration, for: .supervisedSearch)
        let pipeline = FusionPipeline(
            configuration: configuration, registry: session.registry, data: data, observer: session.observer())
        try StageCommands.start(session, pipeline)
        let run = session.run
        if let arm = session.options.optionalString(RunArm.option.name).flatMap(RunArm.init(rawValue:)) {
            // A worker of `run --workers 2`: one arm, its result left for the parent.
            try RunArm.writeResult(try arm.run(pipeline, in: run), in: run)
            return
        }
        let (ssl, supervised) =
            session.options.int("workers") > 1
            ? try RunWorkers.run(session)
            : (try RunArm.ssl.run(pipeline, in: run), try RunArm.supervised.run(pipeline, in: run))
        for (method, result) in [("ssl", ssl), ("supervised", supervised)] {
            session.logEvaluation(method, split: "validation", result.validation)
            session.logEvaluation(method, split: "test", result.test)
        }
        try RunArtifacts.writeLossPlot(in: run)
        let summary = RunSummary(ssl: ssl, supervised: supervised, runDirectory: run.url.path)
        try AtomicFile.write(try summary.json(), to: run.url(for: .summaryJSON))
        try AtomicFile.write(Data(summary.markdown().utf8), to: run.url(for: .summaryMarkdown))
        print(summary.markdown())
    }
}
