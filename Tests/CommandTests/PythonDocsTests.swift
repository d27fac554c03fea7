import Foundation
import Testing

/// Docs/python.md's snippets, run by Scripts/check-python-docs on a real run, export, sweep and study.
@Suite struct PythonDocsTests {
    @Test(.enabled(if: ONNXExportTests.python3Available, "python3 is not installed: the Python snippets cannot run"))
    func pythonSnippetsRunOnRealOutputs() throws {
        let directory = try FusionNASBinary.temporaryDirectory("python-docs")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tiny = FusionNASBinary.tinyRun + ["--quiet"]
        try ONNXExportTests.tool(["run", "--out", "runs/first"] + tiny, in: directory)
        try ONNXExportTests.tool(["export", "runs/first", "--quiet"], in: directory)
        try ONNXExportTests.tool(
            ["sweep", "--out", "runs/sweep", "--methods", "supervised", "--fractions", "1", "--seeds", "0"] + tiny, in: directory)
        try ONNXExportTests.tool(
            ["study", "--out", "runs/study", "--architectures", "late-fusion,linear", "--weights", "scratch", "--fractions", "1",
             "--seeds", "0"] + StudyCommandTests.tiny, in: directory)
        try ONNXExportTests.runScript("check-python-docs", [directory.path])
    }
}
