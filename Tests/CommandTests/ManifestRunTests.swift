import Foundation
import MultimodalData
import Testing

/// A user's own data, end to end: a manifest with three modalities of different kinds (a vector in
/// `.npy`, two precomputed feature levels in `.npz`, a small image), multi-label labels, run with
/// the CLIP objective, a length of 16 (the vector row copies) and three threads.
@Suite(.serialized) struct ManifestRunTests {
    static let samples = 90

    /// Writes the files and the manifest; returns the manifest's path. Each label follows one
    /// modality, so that every label has positives and negatives in any split.
    static func writeDataset(in directory: URL) throws -> String {
        let n = samples
        func value(_ i: Int, _ j: Int) -> Float { Float(sin(Double(i * 31 + j * 7 + 1))) }
        let vector = (0..<n).flatMap { i in (0..<6).map { value(i, $0) } }
        let level0 = (0..<n).flatMap { i in (0..<(4 * 3)).map { value(i, 100 + $0) } }
        let level1 = (0..<n).flatMap { i in (0..<(2 * 5)).map { value(i, 200 + $0) } }
        let image = (0..<n).flatMap { i in (0..<64).map { value(i, 300 + $0) } }
        var labels: [Int] = []
        for i in 0..<n {
            labels += [vector[i * 6] > 0 ? 1 : 0, level0[i * 12] > 0 ? 1 : 0, image[i * 64] > 0 ? 1 : 0]
        }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        try NPYWriter.write(NPYArray(shape: [n, 6], floats: vector), to: path("audio.npy"))
        try NPZWriter.write(
            [("level0", NPYArray(shape: [n, 4, 3], floats: level0)), ("level1", NPYArray(shape: [n, 10], floats: level1))],
            to: path("video.npz"), compressed: true)
        try NPYWriter.write(NPYArray(shape: [n, 64], floats: image), to: path("frames.npy"))
        try NPYWriter.write(NPYArray(shape: [n, 3], integers: labels), to: path("labels.npy"))
        let manifest = """
            {
              "name": "three-kinds",
              "modalities": [
                {"name": "audio", "file": "audio.npy", "kind": "vector"},
                {"name": "video", "file": "video.npz", "kind": "feature-levels",
                 "levels": [{"dataset": "level0"}, {"dataset": "level1", "shape": [2, 5]}]},
                {"name": "frames", "file": "frames.npy", "kind": "image", "shape": [1, 8, 8]}
              ],
              "labels": {"file": "labels.npy", "kind": "multi-label", "format": "one-hot", "names": ["loud", "moving", "bright"]}
            }
            """
        try manifest.write(toFile: path("data.json"), atomically: true, encoding: .utf8)
        return path("data.json")
    }

    @Test func threeModalityMultiLabelManifestRunsEndToEnd() throws {
        let directory = try FusionNASBinary.temporaryDirectory("manifest-run")
        let manifest = try Self.writeDataset(in: directory)
        let out = directory.appendingPathComponent("run")
        let (status, output) = try FusionNASBinary.run(
            [
                "run", "--dataset", manifest, "--out", out.path, "--objective", "clip", "--length", "16", "--threads", "3",
                "--search-epochs", "1", "--pretrain-epochs", "1", "--finetune-epochs", "1", "--encoder-epochs", "1",
                "--channels", "8",
            ], in: directory)
        try #require(status == 0, "\(output)")
        // Multi-label: the primary figure is the weighted F1.
        let summary = try RunChecks.summary(out, metric: "weighted_f1")
        try RunChecks.metricsAreFinite(out)
        // All three modalities reach the search as inputs.
        let inputs = (summary["genotype"] as? [String: Any])?["inputs"] as? [String] ?? []
        for name in ["audio.", "video.", "frames."] {
            #expect(inputs.contains { $0.hasPrefix(name) }, "\(name) missing from \(inputs)")
        }
    }
}
