import Foundation
import Testing

/// `fusion-nas run` with nothing but short epochs: the path a new user takes first. It reads the
/// default uci-mfeat views, pix as an image through the CNN encoder with the crop and flip
/// augmentations, and fou as a vector; the other run tests pick two vector views and skip all that.
@Suite(.serialized) struct DefaultRunTests {
    @Test func defaultRunFinishesWithFiniteMetricsAndASummary() throws {
        let directory = try FusionNASBinary.temporaryDirectory("default-run")
        let out = directory.appendingPathComponent("run")
        let (status, output) = try FusionNASBinary.run(
            [
                "run", "--out", out.path, "--search-epochs", "1", "--pretrain-epochs", "1", "--finetune-epochs", "1",
                "--encoder-epochs", "1", "--channels", "8", "--length", "4",
            ], in: directory)
        try #require(status == 0, "\(output)")
        let summary = try RunChecks.summary(out, metric: "accuracy")
        try RunChecks.metricsAreFinite(out)
        // The default views: the image's levels and the vector's take part in the search.
        let inputs = (summary["genotype"] as? [String: Any])?["inputs"] as? [String] ?? []
        #expect(inputs.contains { $0.hasPrefix("pix.") } && inputs.contains { $0.hasPrefix("fou.") }, "\(inputs)")
        #expect(output.contains("Found without labels: cell 0 = "), "\(output)")
        let markdown = try String(contentsOf: out.appendingPathComponent("summary.md"), encoding: .utf8)
        // "+ pretraining", or "trained from scratch" when the scratch fallback won on validation.
        #expect(markdown.split(separator: "\n").contains { $0.hasPrefix("| self-supervised search") && $0.contains("| 10%") }, "\(markdown)")
    }
}
