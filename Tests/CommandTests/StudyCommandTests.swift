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

    @Test(arguments: [
        (["--architectures", "ssl-search,best"], "--architectures expects a comma-separated list of ssl-search, supervised-search"),
        (["--weights", "scratch,scratch"], "got 'scratch,scratch'"),
        (["--seeds", "1,01"], "got '1,01'"),
        (["--seeds", "-1"], "--seeds expects a comma-separated list of distinct whole numbers ≥ 0"),
        (["--seeds", "1.5"], "got '1.5'"),
        (["--fractions", "0,1"], "--fractions expects a comma-separated list of distinct fractions in (0, 1]"),
        (["--resume", "somewhere"], "study cannot resume yet"),
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
        let resumed = try FusionNASBinary.run(["sweep", "--resume", "two", "--workers", "2"], in: directory)
        #expect(resumed.status == 2 && resumed.output.contains("drop --workers"), "\(resumed.output)")
    }
}
