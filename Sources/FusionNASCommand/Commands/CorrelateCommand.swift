import Foundation
import FusionNAS
import FusionNASPipeline
import Layers

/// `fusion-nas correlate`: does the self-supervised objective rank architectures as supervised
/// training does? See ``ProxyCorrelation``.
enum CorrelateCommand {
    static let command = Command(
        name: "correlate",
        summary: "Rank-correlate self-supervised scores of random architectures with their supervised validation accuracy (UnNAS's experiment); write correlation.json, .csv and a scatter plot.",
        discussion: """
            Draws --samples genotypes uniformly from the search space. Each is pretrained without \
            labels (--pretrain-epochs) and scored twice: its mean self-supervised loss on the \
            validation inputs, and a linear probe on its frozen representation trained with \
            --probe-labels of the training labels (validation figure). Independently, a fresh copy \
            is trained with every training label (--finetune-epochs) and its validation figure \
            recorded. Kendall's tau-b and Spearman's rho relate each score to the supervised figure \
            (the loss negated, so that positive means the score ranks like supervised training). \
            The test split is never read.
            """,
        options: PipelineOptions.common.filter { $0.name != PipelineOptions.labels.name } + PipelineOptions.model + [
            PipelineOptions.pretrainEpochs, PipelineOptions.finetuneEpochs,
            OptionSpec(name: "samples", kind: .int(minimum: 3), default: .int(30), help: "Architectures drawn from the space."),
            OptionSpec(
                name: "probe-labels", kind: .fraction, default: .double(0.1),
                help: "Fraction of the training labels the linear probe reads."),
        ],
        run: { given in try execute(given) })

    static func execute(_ given: OptionValues) throws {
        let session = try Session(options: given, label: "correlate")
        try session.perform {
            let options = session.options
            let correlation = ProxyCorrelation(
                configuration: try PipelineOptions.configuration(options, epochs: nil), registry: session.registry,
                samples: options.int("samples"), probeFraction: options.double("probe-labels"))
            try DataPreflight.check(
                correlation.configuration, fractions: [correlation.probeFraction], seeds: [correlation.configuration.seed],
                use: .fineTuning, option: "--probe-labels")
            try session.start()
            correlation.observer = session.observer()
            var samples = try finishedSamples(of: session, drawnBy: correlation)
            try correlation.run(skipping: samples.count) { sample in
                samples.append(sample)
                session.progress.milestone(String(
                    format: "sample %d: self-supervised loss %.4f, probe %.3f, supervised %.3f  %@", sample.sample,
                    sample.selfSupervisedLoss, sample.probeValidation, sample.supervisedValidation, sample.genotype))
                try write(samples, in: session.run, final: false)
            }
            print(try write(samples, in: session.run, final: true))
        }
    }

    /// The samples a resumed run had measured (saved exactly in rows.json); the rest are measured
    /// afresh, and give what an uninterrupted run would have (see ``ProxyCorrelation/run(skipping:emit:)``).
    static func finishedSamples(of session: Session, drawnBy correlation: ProxyCorrelation) throws -> [ProxySample] {
        let saved = session.run.file(WorkerFanOut.rowsFile)
        guard session.run.isResumed, FileManager.default.fileExists(atPath: saved.path) else { return [] }
        let samples: [ProxySample]
        do {
            samples = try JSONDecoder().decode([ProxySample].self, from: Data(contentsOf: saved))
        } catch {
            throw UsageError("cannot resume: \(saved.path) is not a correlation's samples (\(error)); start a new run with --out")
        }
        guard samples.map(\.sample) == Array(0..<samples.count), samples.count <= correlation.samples else {
            throw UsageError("cannot resume: \(saved.path) does not hold samples 0, 1, ... of at most \(correlation.samples); start a new run with --out")
        }
        session.progress.info("resuming: \(samples.count) of \(correlation.samples) architectures were measured")
        return samples
    }

    /// Writes correlation.csv, correlation.json, correlation.svg and the exact samples (rows.json,
    /// read back by `--resume`); returns the summary line.
    @discardableResult
    static func write(_ samples: [ProxySample], in run: RunDirectory, final: Bool) throws -> String {
        try WorkerFanOut.writeRows(samples, in: run)
        var csv = "sample,ssl_loss,probe_validation,supervised_validation,genotype\n"
        for s in samples {
            csv += "\(s.sample),\(s.selfSupervisedLoss),\(s.probeValidation),\(s.supervisedValidation),\"\(s.genotype)\"\n"
        }
        try AtomicFile.write(Data(csv.utf8), to: run.file("correlation.csv"))
        let supervised = samples.map(\.supervisedValidation)
        let negatedLoss = samples.map { -$0.selfSupervisedLoss }, probe = samples.map(\.probeValidation)
        let enough = samples.count >= 2
        let tauLoss = enough ? RankCorrelation.kendallTau(negatedLoss, supervised) : .nan
        let rhoLoss = enough ? RankCorrelation.spearmanRho(negatedLoss, supervised) : .nan
        let tauProbe = enough ? RankCorrelation.kendallTau(probe, supervised) : .nan
        let rhoProbe = enough ? RankCorrelation.spearmanRho(probe, supervised) : .nan
        let json: JSONValue = .object([
            "kendall_tau": .double(tauLoss), "spearman_rho": .double(rhoLoss),
            "kendall_tau_p_value": .double(RankCorrelation.kendallTauPValue(tauLoss, count: samples.count)),
            "probe_kendall_tau_p_value": .double(RankCorrelation.kendallTauPValue(tauProbe, count: samples.count)),
            "score": .string("minus the mean self-supervised loss on the validation inputs after self-supervised pretraining"),
            "target": .string("validation figure after supervised training from scratch on every training label"),
            "probe_kendall_tau": .double(tauProbe), "probe_spearman_rho": .double(rhoProbe),
            "probe_score": .string("validation figure of a linear probe on the frozen self-supervised representation"),
            "samples": .int(samples.count), "complete": .bool(final),
        ])
        try AtomicFile.write(Data((json.rendered(pretty: true) + "\n").utf8), to: run.file("correlation.json"))
        var plot = SVGPlot(
            title: "Self-supervised score against supervised validation figure", xLabel: "score (rank-normalised, 0-1)",
            yLabel: "supervised validation figure")
        let normalise = { (values: [Double]) in RankCorrelation.ranks(values).map { ($0 - 1) / Double(max(values.count - 1, 1)) } }
        plot.addScatter("-ssl loss (τ \(String(format: "%.2f", tauLoss)))", points: Array(zip(normalise(negatedLoss), supervised)).map { (x: $0.0, y: $0.1) })
        plot.addScatter("probe (τ \(String(format: "%.2f", tauProbe)))", points: Array(zip(normalise(probe), supervised)).map { (x: $0.0, y: $0.1) })
        try plot.write(to: run.file("correlation.svg"))
        return String(
            format: "%d architectures: Kendall tau %.3f (p %.3f), Spearman rho %.3f (self-supervised loss); tau %.3f (p %.3f), rho %.3f (linear probe)",
            samples.count, tauLoss, RankCorrelation.kendallTauPValue(tauLoss, count: samples.count), rhoLoss,
            tauProbe, RankCorrelation.kendallTauPValue(tauProbe, count: samples.count), rhoProbe)
    }
}
