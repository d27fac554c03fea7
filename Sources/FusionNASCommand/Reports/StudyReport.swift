import Foundation
import FusionNASPipeline

/// `study.csv`, `study.md` and `study.svg` of a study's rows: per cell the mean with a 95 %
/// confidence interval over seeds, and paired differences against a reference arm.
///
/// The unit of every interval is the seed: a random architecture's draws are averaged within a
/// seed first, so draws never count as independent samples.
struct StudyReport {
    let rows: [StudyRow]
    /// The arm every other arm is paired against.
    static let reference = Arm(architecture: "ssl-search", weights: "ssl-pretrained")

    struct Arm: Hashable, Comparable {
        let architecture: String
        let weights: String
        var name: String { weights == "none" ? architecture : "\(architecture) + \(weights)" }
        static func < (a: Arm, b: Arm) -> Bool { (a.architecture, a.weights) < (b.architecture, b.weights) }
    }

    /// The arms in the order their first rows came.
    var arms: [Arm] {
        var seen: [Arm] = []
        for row in rows {
            let arm = Arm(architecture: row.architecture, weights: row.weights)
            if !seen.contains(arm) { seen.append(arm) }
        }
        return seen
    }

    var fractions: [Double] { Array(Set(rows.map(\.fraction))).sorted() }

    /// Test (or validation) figure per seed of `arm` at `fraction`, draws averaged.
    func perSeed(_ arm: Arm, _ fraction: Double, validation: Bool = false) -> [UInt64: Double] {
        var sums: [UInt64: (Double, Int)] = [:]
        for row in rows where row.architecture == arm.architecture && row.weights == arm.weights && row.fraction == fraction {
            let (s, n) = sums[row.seed] ?? (0, 0)
            sums[row.seed] = (s + (validation ? row.validationValue : row.value), n + 1)
        }
        return sums.mapValues { $0.0 / Double($0.1) }
    }

    func csv() -> String {
        var text = "architecture,weights,fraction,seed,draw,metric,value,validation_value,labelled_train,genotype\n"
        for r in rows {
            text += "\(r.architecture),\(r.weights),\(r.fraction),\(r.seed),\(r.draw.map(String.init) ?? ""),\(r.metric),"
            text += "\(r.value),\(r.validationValue),\(r.labelledTrain.count),\"\(r.genotype)\"\n"
        }
        return text
    }

    func markdown(title: String) -> String {
        let metric = rows.first?.metric ?? "metric"
        var text = "# \(title)\n\nTest \(metric): mean ± half-width of the 95 % confidence interval over seeds "
        text += "(Student t; a random architecture's draws averaged within each seed first). Paired: the mean "
        text += "per-seed difference against **\(Self.reference.name)** with its 95 % interval, and the seeds "
        text += "where the arm is ahead / level / behind.\n"
        for fraction in fractions {
            let labelled = rows.first { $0.fraction == fraction }?.labelledTrain.count ?? 0
            text += "\n## \(String(format: "%g", fraction * 100)) % of the training labels (\(labelled) labelled training samples)\n\n"
            var table = MarkdownTable(headers: ["arm", "test \(metric)", "validation \(metric)", "seeds", "paired difference", "ahead / level / behind"])
            let reference = perSeed(Self.reference, fraction)
            for arm in arms {
                let test = perSeed(arm, fraction)
                guard !test.isEmpty else { continue }
                let validation = perSeed(arm, fraction, validation: true)
                var paired = "", counts = ""
                if arm != Self.reference, !reference.isEmpty {
                    let differences = test.keys.sorted().compactMap { seed in reference[seed].map { test[seed]! - $0 } }
                    paired = Self.formatInterval(differences, signed: true)
                    let ahead = differences.filter { $0 > 1e-9 }.count, behind = differences.filter { $0 < -1e-9 }.count
                    counts = "\(ahead) / \(differences.count - ahead - behind) / \(behind)"
                }
                table.addRow([
                    arm.name, Self.formatInterval(Array(test.values)), Self.formatInterval(Array(validation.values)),
                    "\(test.count)", paired, counts,
                ])
            }
            text += table.render()
        }
        return text
    }

    func plot(title: String) -> SVGPlot {
        let metric = rows.first?.metric ?? "metric"
        var plot = SVGPlot(title: title, xLabel: "label fraction r (log10)", yLabel: "test \(metric)")
        for arm in arms {
            plot.add(arm.name, points: fractions.compactMap { f in
                let values = Array(perSeed(arm, f).values)
                return values.isEmpty ? nil : (x: log10(f), y: Self.meanAndHalfWidth(values).mean)
            })
        }
        return plot
    }

    /// Mean and the half-width of its 95 % confidence interval (Student t; 0 for one value).
    static func meanAndHalfWidth(_ values: [Double]) -> (mean: Double, halfWidth: Double) {
        let n = values.count
        let mean = values.reduce(0, +) / Double(n)
        guard n > 1 else { return (mean, 0) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        return (mean, studentT975(degreesOfFreedom: n - 1) * (variance / Double(n)).squareRoot())
    }

    static func formatInterval(_ values: [Double], signed: Bool = false) -> String {
        guard !values.isEmpty else { return "" }
        let (mean, half) = meanAndHalfWidth(values)
        return String(format: signed ? "%+.3f ± %.3f" : "%.3f ± %.3f", mean, half)
    }

    /// The 97.5 % quantile of Student's t distribution.
    static func studentT975(degreesOfFreedom df: Int) -> Double {
        let table: [Double] = [
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
            2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
        ]
        return df >= 1 && df <= table.count ? table[df - 1] : 1.960
    }
}
