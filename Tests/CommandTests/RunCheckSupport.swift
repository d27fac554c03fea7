import Foundation
import Testing

/// Checks on a finished `fusion-nas run` directory shared by the end-to-end tests of whole runs.
enum RunChecks {
    /// The run's summary.json, with its primary metric's name and both pipelines' test figures
    /// expected to be finite scores in [0, 1].
    static func summary(_ run: URL, metric: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let data = try Data(contentsOf: run.appendingPathComponent("summary.json"))
        let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], sourceLocation: sourceLocation)
        #expect(summary["metric"] as? String == metric, "\(summary)", sourceLocation: sourceLocation)
        for key in ["ssl_test", "supervised_test"] {
            let value = summary[key] as? Double ?? .nan
            #expect(value.isFinite && value >= 0 && value <= 1, "\(key) = \(value)", sourceLocation: sourceLocation)
        }
        return summary
    }

    /// Every number in metrics.jsonl is finite (a NaN or infinite loss would not parse as JSON,
    /// or would show here), and there is at least one record per stage kind the run went through.
    static func metricsAreFinite(_ run: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let text = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(!lines.isEmpty, sourceLocation: sourceLocation)
        for line in lines {
            let record = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)", sourceLocation: sourceLocation)
            for (key, value) in record {
                if let number = value as? Double {
                    #expect(number.isFinite, "\(key) in \(line)", sourceLocation: sourceLocation)
                }
            }
        }
    }
}
