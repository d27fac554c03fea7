import Foundation
@testable import FusionNASCommand
import Testing

/// `fusion-nas run --search-space bmnas`, tiny, through the real executable: both searches run in
/// BM-NAS's reference space, their genotypes say so, the weight plot labels its {zero, identity}
/// edges, and the found network exports to ONNX (run with ONNX Runtime against its own logits when
/// python3 is there).
@Suite(.serialized) struct BMNASReferenceRunTests {
    @Test func runSearchesTheReferenceSpaceEndToEnd() throws {
        let directory = try FusionNASBinary.temporaryDirectory("bmnas-run")
        let out = directory.appendingPathComponent("run")
        let (status, output) = try FusionNASBinary.run(
            ["run", "--out", out.path, "--search-space", "bmnas"] + FusionNASBinary.tinyRun, in: directory)
        #expect(status == 0, "\(output)")
        for file in ["genotype.json", "supervised-genotype.json"] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent(file))) as? [String: Any]
            #expect(json?["searchSpace"] as? String == "bmnas", "\(file): \(String(describing: json))")
        }
        let weights = try String(contentsOf: out.appendingPathComponent("supervised-architecture_weights.csv"), encoding: .utf8)
        #expect(weights.contains("cell0.edge0") && weights.contains("identity"), "\(weights.prefix(400))")
        #expect(!weights.contains("low_rank_tensor"), "bmnas searches BM-NAS's four step primitives")
        let model = directory.appendingPathComponent("m.onnx")
        let export = try FusionNASBinary.run(["export", out.path, "--out", model.path], in: directory)
        #expect(export.status == 0, "\(export.output)")
        if ONNXExportTests.python3Available {
            let report = try ONNXExportTests.check([model])
            #expect(report.hasPrefix("OK "), "\(report)")
        }
    }
}
