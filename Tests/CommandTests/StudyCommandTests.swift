import Foundation
import Testing

/// `fusion-nas study` as a user runs it.
@Suite struct StudyCommandTests {
    static let tiny = [
        "--modalities", "fou,kar", "--search-epochs", "1", "--pretrain-epochs", "1", "--finetune-epochs", "2",
        "--channels", "8", "--length", "4", "--batch-size", "128", "--threads", "1", "--quiet",
    ]

    @Test func writesOneRowPerArmFractionAndSeed() throws {
        let directory = try FusionNASBinary.temporaryDirectory("study")
        let (status, output) = try FusionNASBinary.run(
            ["study", "--architectures", "late-fusion,linear", "--weights", "scratch", "--fractions", "0.5,1",
             "--seeds", "0,1", "--out", "s"] + Self.tiny, in: directory)
        try #require(status == 0, "\(output)")
        let csv = try String(contentsOf: directory.appendingPathComponent("s/study.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "architecture,weights,fraction,seed,draw,metric,value,validation_value,labelled_train,genotype")
        // (late-fusion + scratch, linear) x 2 fractions x 2 seeds.
        #expect(lines.count == 1 + 2 * 2 * 2, "\(csv)")
        let markdown = try String(contentsOf: directory.appendingPathComponent("s/study.md"), encoding: .utf8)
        #expect(markdown.contains("| late-fusion + scratch") && markdown.contains("| linear"), "\(markdown)")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("s/study.svg").path))
    }

    /// A study stopped during a seed resumes to what an uninterrupted one writes: finished seeds
    /// are kept as saved, the unfinished one is run again from its start.
    @Test func aResumedStudyKeepsFinishedSeedsAndRedoesTheUnfinishedOne() throws {
        let directory = try FusionNASBinary.temporaryDirectory("study-resume")
        let study = ["study", "--architectures", "late-fusion,linear", "--weights", "scratch", "--fractions", "0.5,1", "--seeds", "0,1"]
            + Self.tiny
        let whole = try FusionNASBinary.run(study + ["--out", "whole"], in: directory)
        try #require(whole.status == 0, "\(whole.output)")
        let read = { (run: String) throws -> [[String: Any]] in
            try #require(JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("\(run)/rows.json"))) as? [[String: Any]])
        }
        let expected = try read("whole")
        try #require(expected.count == 8 && expected[4]["seed"] as? Int == 1)
        // What a study killed after seed 1's first row leaves: seed 0's four rows and one of seed 1's.
        // Marked values show which rows the resume kept (seed 0's) and which it measured again (seed 1's).
        try FileManager.default.copyItem(at: directory.appendingPathComponent("whole"), to: directory.appendingPathComponent("cut"))
        var cut = Array(expected.prefix(5))
        cut[0]["value"] = 0.5
        cut[4]["value"] = 0.25
        try JSONSerialization.data(withJSONObject: cut).write(to: directory.appendingPathComponent("cut/rows.json"))
        let resumed = try FusionNASBinary.run(["study", "--resume", "cut"], in: directory)
        try #require(resumed.status == 0, "\(resumed.output)")
        let rows = try read("cut")
        try #require(rows.count == 8)
        #expect(rows[0]["value"] as? Double == 0.5, "seed 0's saved row was not kept")
        for i in 1..<8 {
            #expect(NSDictionary(dictionary: rows[i]).isEqual(to: expected[i]), "row \(i): \(rows[i]) against \(expected[i])")
        }
    }

    @Test(arguments: [
        (["--architectures", "ssl-search,best"], "--architectures expects a comma-separated list of ssl-search, supervised-search"),
        (["--weights", "scratch,scratch"], "got 'scratch,scratch'"),
        (["--seeds", "1,01"], "got '1,01'"),
        (["--seeds", "-1"], "--seeds expects a comma-separated list of distinct whole numbers ≥ 0"),
        (["--seeds", "1.5"], "got '1.5'"),
        (["--fractions", "0,1"], "--fractions expects a comma-separated list of distinct fractions in (0, 1]"),
        (["--resume", "somewhere", "--workers", "2"], "--resume continues a study in one process"),
    ])
    func badOptionsAreUsageErrorsBeforeAnyWork(arguments: [String], message: String) throws {
        let directory = try FusionNASBinary.temporaryDirectory("study-usage")
        let (status, output) = try FusionNASBinary.run(["study", "--out", "s"] + arguments, in: directory)
        #expect(status == 2, "\(output)")
        #expect(output.contains(message), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("s").path), "a run directory was created")
    }
}

/// `fusion-nas correlate` as a user runs it.
@Suite struct CorrelateCommandTests {
    @Test func writesTheCorrelationAndOneRowPerSample() throws {
        let directory = try FusionNASBinary.temporaryDirectory("correlate")
        let (status, output) = try FusionNASBinary.run(
            ["correlate", "--samples", "3", "--out", "c", "--pretrain-epochs", "1", "--finetune-epochs", "1",
             "--modalities", "fou,kar", "--channels", "8", "--length", "4", "--batch-size", "128", "--threads", "1", "--quiet"],
            in: directory)
        try #require(status == 0, "\(output)")
        #expect(output.contains("3 architectures: Kendall tau"), "\(output)")
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: directory.appendingPathComponent("c/correlation.json"))) as! [String: Any]
        for key in ["kendall_tau", "spearman_rho", "samples", "score"] { #expect(json[key] != nil, "\(key) missing: \(json)") }
        #expect(json["samples"] as? Int == 3 && json["complete"] as? Bool == true)
        let tau = try #require(json["kendall_tau"] as? Double)
        #expect(tau >= -1 && tau <= 1)
        let csv = try String(contentsOf: directory.appendingPathComponent("c/correlation.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 4, "\(csv)")
    }
}

/// `fusion-nas correlate --resume` measures only the architectures a stopped run had not.
@Suite struct CorrelateResumeTests {
    @Test func aResumedCorrelationKeepsMeasuredSamplesAndMeasuresTheRest() throws {
        let directory = try FusionNASBinary.temporaryDirectory("correlate-resume")
        let whole = try FusionNASBinary.run(
            ["correlate", "--samples", "3", "--out", "whole", "--pretrain-epochs", "1", "--finetune-epochs", "1",
             "--modalities", "fou,kar", "--channels", "8", "--length", "4", "--batch-size", "128", "--threads", "1", "--quiet"],
            in: directory)
        try #require(whole.status == 0, "\(whole.output)")
        let read = { (run: String) throws -> [[String: Any]] in
            try #require(JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("\(run)/rows.json"))) as? [[String: Any]])
        }
        let expected = try read("whole")
        try #require(expected.count == 3)
        try FileManager.default.copyItem(at: directory.appendingPathComponent("whole"), to: directory.appendingPathComponent("cut"))
        var cut = [expected[0]]
        cut[0]["supervisedValidation"] = 0.5
        try JSONSerialization.data(withJSONObject: cut).write(to: directory.appendingPathComponent("cut/rows.json"))
        let resumed = try FusionNASBinary.run(["correlate", "--resume", "cut"], in: directory)
        try #require(resumed.status == 0, "\(resumed.output)")
        let rows = try read("cut")
        try #require(rows.count == 3)
        #expect(rows[0]["supervisedValidation"] as? Double == 0.5, "the measured sample was not kept")
        for i in 1..<3 {
            #expect(NSDictionary(dictionary: rows[i]).isEqual(to: expected[i]), "sample \(i): \(rows[i]) against \(expected[i])")
        }
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("cut/correlation.json"))) as? [String: Any])
        #expect(json["complete"] as? Bool == true && json["samples"] as? Int == 3)
    }
}

/// `--workers` shares the seeds between processes without changing any output.
@Suite struct WorkersTests {
    @Test func studyAndSweepWithTwoWorkersEqualOneWorkerBitForBit() throws {
        let directory = try FusionNASBinary.temporaryDirectory("workers")
        let study = ["study", "--architectures", "late-fusion,linear", "--weights", "scratch", "--fractions", "0.5", "--seeds", "0,1,2"]
            + Array(StudyCommandTests.tiny.dropLast(3)) + ["--quiet"]
        let one = try FusionNASBinary.run(study + ["--out", "one", "--threads", "2", "--workers", "1"], in: directory)
        try #require(one.status == 0, "\(one.output)")
        let two = try FusionNASBinary.run(study + ["--out", "two", "--threads", "2", "--workers", "2"], in: directory)
        try #require(two.status == 0, "\(two.output)")
        for file in ["study.csv", "study.md", "rows.json"] {
            let a = try Data(contentsOf: directory.appendingPathComponent("one/\(file)"))
            let b = try Data(contentsOf: directory.appendingPathComponent("two/\(file)"))
            #expect(a == b, "\(file) differs between --workers 1 and --workers 2")
        }
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("two/workers/1.log").path))
        // The workers' configuration is written like config.json: its Doubles keep their decimal point.
        let workers = try String(contentsOf: directory.appendingPathComponent("two/workers/config.json"), encoding: .utf8)
        #expect(workers.contains(#""beta-decay": 0.0,"#), "\(workers)")
        #expect(!workers.contains(#"\/"#), "\(workers)")
        let resumed = try FusionNASBinary.run(["sweep", "--resume", "two", "--workers", "2"], in: directory)
        #expect(resumed.status == 2 && resumed.output.contains("drop --workers"), "\(resumed.output)")
    }
}
