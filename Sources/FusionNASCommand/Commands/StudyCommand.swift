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
            Architectures: ssl-search (found without labels), supervised-search (BM-NAS's objective on \
            the r labels), full-label-search (supervised search on every training label), random \
            (uniform draws from the same space, --draws per seed), late-fusion (concat_fc of each \
            modality's top level), linear (logistic regression on the standardised views). Weights: \
            ssl-pretrained (pretrained without labels on all training inputs) or scratch. Every arm \
            of a fraction and seed fine-tunes with the same labelled indices, fine-tuning mode, epochs \
            and stage seed, and selects on the same labelled validation subset; the test split is \
            read once per reported figure.
            """,
        options: PipelineOptions.common.filter { $0.name != "labels" } + PipelineOptions.model + [
            PipelineOptions.searchEpochs, PipelineOptions.pretrainEpochs, PipelineOptions.finetuneEpochs,
            PipelineOptions.fineTuning, PipelineOptions.secondOrder,
            OptionSpec(
                name: "fractions", kind: .list(placeholder: "r,r,...", example: "0.01,0.1,1"),
                default: .list(["0.01", "0.05", "0.1", "1"]), help: "Label fractions r in (0, 1]."),
            OptionSpec(
                name: "seeds", kind: .list(placeholder: "n,n,...", example: "0,1,2,3,4"), default: .list(["0", "1", "2", "3", "4"]),
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
        ],
        run: { given in try execute(given) })

    static func execute(_ given: OptionValues) throws {
        if given.url("resume") != nil {
            throw UsageError("study cannot resume yet (--resume); rerun it with a new --out (it writes study.csv after every arm)")
        }
        let architectures = try names(given.list("architectures"), of: StudyArchitecture.self, option: "architectures")
        let weights = try names(given.list("weights"), of: StudyWeights.self, option: "weights")
        let fractions = try numbers(given.list("fractions"), option: "fractions", example: "0.01,0.1,1") { $0 > 0 && $0 <= 1 }
        let seeds = try numbers(given.list("seeds"), option: "seeds", example: "0,1,2,3,4") {
            $0 >= 0 && $0 <= 1e15 && $0.rounded() == $0
        }.map { UInt64($0) }
        let session = try Session(options: given, label: "study")
        let configuration = try PipelineOptions.configuration(session.options, epochs: \.searchEpochs)
        let study = FusionStudy(
            configuration: configuration, registry: session.registry, architectures: architectures, weights: weights,
            fractions: fractions, randomDraws: session.options.int("draws"))
        study.observer = session.observer()
        var rows: [StudyRow] = []
        let run = session.run
        for seed in seeds {
            try study.run(seed: seed) { row in
                rows.append(row)
                session.progress.milestone(String(
                    format: "seed %d r %g %@%@: test %.3f (validation %.3f)", Int(row.seed), row.fraction,
                    StudyReport.Arm(architecture: row.architecture, weights: row.weights).name,
                    row.draw.map { " draw \($0)" } ?? "", row.value, row.validationValue))
                try write(StudyReport(rows: rows), in: run)
            }
        }
        print(StudyReport(rows: rows).markdown(title: "fusion-nas study"))
    }

    static func write(_ report: StudyReport, in run: RunDirectory) throws {
        try AtomicFile.write(Data(report.csv().utf8), to: run.file("study.csv"))
        let text = report.markdown(title: "fusion-nas study")
        try AtomicFile.write(Data(text.utf8), to: run.file("study.md"))
        try AtomicFile.write(Data(text.utf8), to: run.url(for: .summaryMarkdown))
        try report.plot(title: "Test figure against label fraction, per arm").write(to: run.file("study.svg"))
    }

    /// Raw values of an enum named by a list option, in the given order, without repeats.
    static func names<T: RawRepresentable & CaseIterable>(_ words: [String], of: T.Type, option: String) throws -> [T]
    where T.RawValue == String {
        let valid = T.allCases.map(\.rawValue).joined(separator: ", ")
        guard Set(words).count == words.count else { throw UsageError("--\(option) names a value twice: \(words.joined(separator: ","))") }
        guard !words.isEmpty else { throw UsageError("--\(option) needs at least one of \(valid)") }
        return try words.map { word in
            guard let value = T(rawValue: word) else { throw UsageError("--\(option): unknown '\(word)'; expected one of \(valid)") }
            return value
        }
    }

    /// Numbers of a list option, each passing `valid`, without repeats.
    static func numbers(_ words: [String], option: String, example: String, valid: (Double) -> Bool) throws -> [Double] {
        let values = try words.map { word -> Double in
            guard let v = Double(word), v.isFinite, valid(v) else {
                throw UsageError("--\(option): '\(word)' is not allowed; e.g. --\(option) \(example)")
            }
            return v
        }
        guard Set(values).count == values.count else { throw UsageError("--\(option) names a value twice: \(words.joined(separator: ","))") }
        guard !values.isEmpty else { throw UsageError("--\(option) needs at least one value, e.g. --\(option) \(example)") }
        return values
    }
}
