import Foundation
import FusionNAS
import FusionNASPipeline
import Layers

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
        ],
        run: { options in try execute(options) })

    static func execute(_ given: OptionValues) throws {
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
        let ssl = try pipeline.runSelfSupervised()
        let supervised = try pipeline.runSupervised()
        let run = session.run
        for (method, result) in [("ssl", ssl.result), ("supervised", supervised.result)] {
            session.logEvaluation(method, split: "validation", result.validation)
            session.logEvaluation(method, split: "test", result.test)
        }
        try RunArtifacts.writeGenotype(ssl.result.genotype, in: run)
        try RunArtifacts.writeGenotype(supervised.result.genotype, in: run, prefix: "supervised-")
        try RunArtifacts.writeWeightHistory(ssl.search.history, primitives: pipeline.primitives, in: run)
        try RunArtifacts.writeWeightHistory(supervised.search.history, primitives: pipeline.primitives, in: run, prefix: "supervised-")
        try RunArtifacts.writeWeights(ssl.network, genotype: ssl.result.genotype, to: run.file("weights.safetensors"))
        try RunArtifacts.writeWeights(supervised.network, genotype: supervised.result.genotype, to: run.file("supervised-weights.safetensors"))
        try RunArtifacts.writeLossPlot(in: run)
        let summary = RunSummary(ssl: ssl.result, supervised: supervised.result, runDirectory: run.url.path)
        try AtomicFile.write(try summary.json(), to: run.url(for: .summaryJSON))
        try AtomicFile.write(Data(summary.markdown().utf8), to: run.url(for: .summaryMarkdown))
        print(summary.markdown())
    }
}
