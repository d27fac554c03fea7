import Foundation
import Testing

@testable import FusionNASCommand

@Suite struct RunDirectoryTests {
    let utc = TimeZone(identifier: "UTC")!
    let moment = Date(timeIntervalSince1970: 1_795_823_941)  // 2026-11-27 23:59:01 UTC

    @Test func newRunsGetATimestampedFolderAndSameSecondRunsDoNotCollide() throws {
        let root = try makeCommandTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try RunDirectory.prepare(out: nil, resume: nil, runsRoot: root, label: "search", now: moment, timeZone: utc)
        #expect(first.url.lastPathComponent == "2026-11-27T23-59-01-search")
        #expect(FileManager.default.fileExists(atPath: first.url(for: .checkpoints).path))
        let second = try RunDirectory.prepare(out: nil, resume: nil, runsRoot: root, label: "search", now: moment, timeZone: utc)
        #expect(second.url.lastPathComponent == "2026-11-27T23-59-01-search-2")
        #expect(!first.isResumed)
    }

    @Test func standardFilesHaveFixedNames() throws {
        let run = RunDirectory(url: URL(fileURLWithPath: "/runs/x"), isResumed: false)
        #expect(run.url(for: .config).path == "/runs/x/config.json")
        #expect(run.url(for: .genotype).lastPathComponent == "genotype.json")
        #expect(run.url(for: .architectureSVG).lastPathComponent == "architecture.svg")
        #expect(run.url(for: .architectureDOT).lastPathComponent == "architecture.dot")
        #expect(run.url(for: .metrics).lastPathComponent == "metrics.jsonl")
        #expect(run.url(for: .summaryMarkdown).lastPathComponent == "summary.md")
        #expect(run.url(for: .summaryJSON).lastPathComponent == "summary.json")
        #expect(run.checkpoint("last.safetensors").path == "/runs/x/checkpoints/last.safetensors")
    }

    @Test func nonEmptyOutIsRefusedUnlessResumed() throws {
        let root = try makeCommandTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("mine")
        let created = try RunDirectory.prepare(out: out, resume: nil)
        try Data("{}".utf8).write(to: created.url(for: .config))
        #expect(throws: RunDirectory.Failure.notEmpty(out.path)) { try RunDirectory.prepare(out: out, resume: nil) }
        #expect(
            RunDirectory.Failure.notEmpty("runs/a").description
                == "runs/a already exists and is not empty; pass --resume runs/a to continue that run, or choose another --out")

        let resumed = try RunDirectory.prepare(out: nil, resume: out)
        #expect(resumed.isResumed)
        #expect(FileManager.default.fileExists(atPath: resumed.url(for: .config).path))
    }

    @Test func resumeNeedsAnExistingDirectoryAndAgreeingOut() throws {
        let root = try makeCommandTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let missing = root.appendingPathComponent("gone")
        #expect(throws: RunDirectory.Failure.resumeMissing(missing.path)) {
            try RunDirectory.prepare(out: nil, resume: missing)
        }
        #expect(throws: RunDirectory.Failure.conflictingOutAndResume(out: missing.path, resume: root.path)) {
            try RunDirectory.prepare(out: missing, resume: root)
        }
        let file = root.appendingPathComponent("file.txt")
        try Data().write(to: file)
        #expect(throws: RunDirectory.Failure.notADirectory(file.path)) { try RunDirectory.prepare(out: file, resume: nil) }
    }
}
