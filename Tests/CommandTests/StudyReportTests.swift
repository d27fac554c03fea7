import FusionNASPipeline
import Testing

@testable import FusionNASCommand

@Suite struct StudyReportTests {
    func row(_ architecture: String, _ weights: String, seed: UInt64, value: Double, draw: Int? = nil) -> StudyRow {
        StudyRow(
            architecture: architecture, weights: weights, fraction: 0.1, seed: seed, draw: draw, metric: "accuracy",
            value: value, validationValue: value, genotype: "g", labelledTrain: [1, 2])
    }

    @Test func intervalsUseStudentsTOverSeeds() {
        let (mean, half) = StudyReport.meanAndHalfWidth([1, 2, 3])
        #expect(mean == 2)
        #expect(abs(half - 4.303 / 3.0.squareRoot()) < 1e-9)
        #expect(StudyReport.meanAndHalfWidth([0.5]).halfWidth == 0)
        #expect(StudyReport.studentT975(degreesOfFreedom: 4) == 2.776)
        #expect(StudyReport.studentT975(degreesOfFreedom: 1000) == 1.960)
    }

    @Test func randomDrawsAreAveragedWithinASeedAndPairedBySeed() {
        let rows = [
            row("ssl-search", "ssl-pretrained", seed: 0, value: 0.8), row("ssl-search", "ssl-pretrained", seed: 1, value: 0.7),
            row("random", "scratch", seed: 0, value: 0.6, draw: 0), row("random", "scratch", seed: 0, value: 1.0, draw: 1),
            row("random", "scratch", seed: 1, value: 0.5, draw: 0), row("random", "scratch", seed: 1, value: 0.7, draw: 1),
        ]
        let report = StudyReport(rows: rows)
        let random = report.perSeed(StudyReport.Arm(architecture: "random", weights: "scratch"), 0.1)
        #expect(abs(random[0]! - 0.8) < 1e-12 && abs(random[1]! - 0.6) < 1e-12)
        let markdown = report.markdown(title: "t")
        // Seed 0: level (0.8 vs 0.8); seed 1: behind (0.6 vs 0.7).
        #expect(markdown.contains("| random + scratch"), "\(markdown)")
        #expect(markdown.contains("0 / 1 / 1"), "\(markdown)")
        #expect(report.csv().split(separator: "\n").count == 7)
    }
}
