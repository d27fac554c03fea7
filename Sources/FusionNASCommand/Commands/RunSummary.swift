import Foundation
import FusionNAS
import FusionNASPipeline

/// The outcome of `fusion-nas run`: `summary.json`, `summary.md` and the table printed at the end.
struct RunSummary: Encodable {
    let labelFraction: Double
    /// The primary test metric's name (`accuracy` or `weighted_f1`).
    let metric: String
    let sslTest: Double
    let supervisedTest: Double
    /// The self-supervised pipeline's genotype, and in words.
    let genotype: Genotype
    let architecture: String
    let supervisedGenotype: Genotype
    let ssl: MethodResult
    let supervised: MethodResult
    let runDirectory: String

    init(ssl: MethodResult, supervised: MethodResult, runDirectory: String) {
        labelFraction = ssl.labelFraction
        metric = ssl.test.metric
        sslTest = ssl.test.value
        supervisedTest = supervised.test.value
        genotype = ssl.genotype
        architecture = ssl.genotype.description
        supervisedGenotype = supervised.genotype
        self.ssl = ssl
        self.supervised = supervised
        self.runDirectory = runDirectory
    }

    enum CodingKeys: String, CodingKey {
        case labelFraction = "label_fraction", metric, sslTest = "ssl_test", supervisedTest = "supervised_test"
        case genotype, architecture, supervisedGenotype = "supervised_genotype", ssl, supervised
        case runDirectory = "run_directory"
    }

    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// The row's name; a self-supervised genotype reported from the scratch fallback says so, since
    /// its weights then owe nothing to pretraining. The supervised row names its search space: it is
    /// BM-NAS's own search only in `bmnas`.
    static func pipelineName(_ result: MethodResult) -> String {
        guard result.method == "ssl" else { return "supervised search (\(result.genotype.searchSpace))" }
        return result.weights == "scratch"
            ? "self-supervised search, trained from scratch (beat fine-tuning on validation)"
            : "self-supervised search + pretraining"
    }

    func markdown() -> String {
        let percent = String(format: "%g%%", labelFraction * 100)
        var table = MarkdownTable(headers: ["pipeline", "labels", "\(metric) (test)", "\(metric) (validation)", "found architecture"])
        for result in [ssl, supervised] {
            table.addRow([
                Self.pipelineName(result), percent,
                RunArtifacts.figure(result.test.value), RunArtifacts.figure(result.validation.value), result.genotype.description,
            ])
        }
        return """
            # fusion-nas run

            Found without labels: \(architecture)

            \(table.render())
            Run directory: \(runDirectory)

            """
    }
}
