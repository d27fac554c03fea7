import Foundation
import MultimodalData
import Testing

/// `fusion-nas export` end to end: tiny runs whose genotypes use each built-in primitive, on a
/// dataset with one modality of each encoder kind (mlp, cnn, conv1d, precomputed), exported and run
/// with ONNX Runtime by Scripts/check-onnx-export against FusionNAS's own logits.
@Suite struct ONNXExportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python3Available = ["/usr/bin", "/usr/local/bin", "/bin"].contains { FileManager.default.isExecutableFile(atPath: $0 + "/python3") }
        || (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }

    /// 120 samples: vec [6] (mlp), img [1, 4, 4] (cnn), seq [2, 8] (conv1d), feat levels [3, 4] and [5, 1] (precomputed); 3 classes.
    static func writeDataset(in directory: URL) throws -> URL {
        let n = 120
        var state: UInt64 = 12345
        func uniform() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        let labels = (0..<n).map { $0 % 3 }
        func write(_ name: String, _ shape: [Int]) throws {
            let width = shape.reduce(1, *)
            let floats = (0..<n).flatMap { i in (0..<width).map { _ in uniform() + Float(labels[i]) * 0.5 } }
            try NPYWriter.write(NPYArray(shape: [n] + shape, floats: floats), to: directory.appendingPathComponent(name).path)
        }
        try write("vec.npy", [6])
        try write("img.npy", [1, 4, 4])
        try write("seq.npy", [2, 8])
        try write("feat0.npy", [3, 4])
        try write("feat1.npy", [5])
        let labelText = labels.map(String.init).joined(separator: "\n") + "\n"
        try labelText.write(to: directory.appendingPathComponent("labels.txt"), atomically: true, encoding: .utf8)
        let manifest = """
            {"name": "onnx-kinds",
             "modalities": [
               {"name": "vec", "file": "vec.npy", "kind": "vector"},
               {"name": "img", "file": "img.npy", "kind": "image"},
               {"name": "seq", "file": "seq.npy", "kind": "sequence"},
               {"name": "feat", "kind": "feature-levels", "levels": [{"file": "feat0.npy"}, {"file": "feat1.npy", "shape": [5, 1]}]}
             ],
             "labels": {"file": "labels.txt", "kind": "multi-class", "format": "names", "names": ["0", "1", "2"]}}
            """
        let url = directory.appendingPathComponent("manifest.json")
        try manifest.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static let model = ["--channels", "4", "--length", "3", "--cells", "2", "--steps", "2", "--batch-size", "16", "--threads", "1", "--labels", "0.5"]

    static func tool(_ arguments: [String], in directory: URL) throws {
        let (status, output) = try FusionNASBinary.run(arguments, in: directory)
        try #require(status == 0, "fusion-nas \(arguments.joined(separator: " ")) failed:\n\(output)")
    }

    /// Runs the checker; returns its report lines.
    static func check(_ models: [URL]) throws -> String {
        try runScript("check-onnx-export", models.map(\.path))
    }

    /// Runs `Scripts/NAME` with `arguments`, expects it to succeed, and returns what it printed.
    @discardableResult
    static func runScript(
        _ name: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let process = Process()
        process.executableURL = root.appendingPathComponent("Scripts/\(name)")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "Scripts/\(name) failed:\n\(output)", sourceLocation: sourceLocation)
        return output
    }

    @Test(
        .enabled(if: python3Available, "python3 is not installed: the exported models cannot be run with ONNX Runtime"),
        arguments: ["sum", "scale_dot_attn", "linear_glu", "concat_fc", "cat_conv_mish", "low_rank_tensor"])
    func exportedRunMatchesOnnxRuntime(primitive: String) throws {
        let directory = try FusionNASBinary.temporaryDirectory("onnx-\(primitive)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = try Self.writeDataset(in: directory)
        let run = directory.appendingPathComponent("run")
        try Self.tool(
            ["run", "--dataset", manifest.path, "--primitives", primitive, "--search-epochs", "1", "--pretrain-epochs", "1",
             "--finetune-epochs", "1", "--encoder-epochs", "1", "--out", run.path, "--quiet"] + Self.model, in: directory)
        let genotype = try String(contentsOf: run.appendingPathComponent("genotype.json"), encoding: .utf8)
        #expect(genotype.contains("\"\(primitive)\""))
        let ssl = directory.appendingPathComponent("model.onnx"), supervised = directory.appendingPathComponent("supervised.onnx")
        try Self.tool(["export", run.path, "--format", "onnx", "--out", ssl.path, "--quiet"], in: directory)
        try Self.tool(["export", run.path, "--method", "supervised", "--out", supervised.path, "--quiet"], in: directory)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("model.sample.npz").path))
        let report = try Self.check([ssl, supervised])
        print("[\(primitive)] " + report)
        #expect(report.components(separatedBy: "OK ").count == 3, "\(report)")
    }

    /// A `bmnas` network (BM-NAS's reference cells) with every reshaping its inputs need: the cnn's
    /// 4 x 4 and 2 x 2 maps max-pooled in 2-D to 1 x 3 (overlapping windows, and windows that repeat
    /// a row or column), the conv1d's lengths 8 and 4 and a precomputed level pooled to 3; its four
    /// step primitives, two steps per cell (concatenation, conv, BatchNorm, ReLU), trained from
    /// scratch by finetune, exported and run with ONNX Runtime.
    @Test(.enabled(if: python3Available, "python3 is not installed: the exported models cannot be run with ONNX Runtime"))
    func bmnasNetworkMatchesOnnxRuntime() throws {
        let directory = try FusionNASBinary.temporaryDirectory("onnx-bmnas")
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = try Self.writeDataset(in: directory)
        let genotype = directory.appendingPathComponent("genotype.json")
        let json = """
            {"version": 1, "searchSpace": "bmnas",
             "inputs": ["vec.0", "vec.1", "img.0", "img.1", "seq.0", "seq.1", "feat.0", "feat.1"],
             "cells": [
               {"inputs": [2, 4], "steps": [{"inputs": [0, 1], "primitive": "scale_dot_attn"}, {"inputs": [2, 0], "primitive": "linear_glu"}]},
               {"inputs": [3, 6], "steps": [{"inputs": [1, 0], "primitive": "concat_fc"}, {"inputs": [2, 1], "primitive": "sum"}]}
             ]}
            """
        try json.write(to: genotype, atomically: true, encoding: .utf8)
        let run = directory.appendingPathComponent("run")
        try Self.tool(
            ["finetune", "--dataset", manifest.path, "--genotype", genotype.path, "--epochs", "2", "--encoder-epochs", "1",
             "--out", run.path, "--quiet"] + Self.model, in: directory)
        try Self.tool(["export", run.path, "--quiet"], in: directory)
        let report = try Self.check([run.appendingPathComponent("model.onnx")])
        print("[bmnas] " + report)
        #expect(report.hasPrefix("OK "), "\(report)")
    }

    /// A genotype no search derives (zero steps, attention over a cell) through pretrain and finetune,
    /// with vector levels projected to (C, L) (the searched runs above repeat them).
    @Test(.enabled(if: python3Available, "python3 is not installed: the exported models cannot be run with ONNX Runtime"))
    func handWrittenGenotypeWithZeroMatchesOnnxRuntime() throws {
        let directory = try FusionNASBinary.temporaryDirectory("onnx-zero")
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = try Self.writeDataset(in: directory)
        let genotype = directory.appendingPathComponent("genotype.json")
        let json = """
            {"version": 1, "searchSpace": "fusionnas",
             "inputs": ["vec.0", "vec.1", "img.0", "img.1", "seq.0", "seq.1", "feat.0", "feat.1"],
             "cells": [
               {"inputs": [1, 3], "steps": [{"inputs": [0, 1], "primitive": "zero"}, {"inputs": [2, 1], "primitive": "low_rank_tensor"}]},
               {"inputs": [8, 6], "steps": [{"inputs": [1, 0], "primitive": "scale_dot_attn"}, {"inputs": [0, 2], "primitive": "zero"}]}
             ]}
            """
        try json.write(to: genotype, atomically: true, encoding: .utf8)
        let pretrained = directory.appendingPathComponent("pretrain"), finetuned = directory.appendingPathComponent("finetune")
        try Self.tool(
            ["pretrain", "--dataset", manifest.path, "--genotype", genotype.path, "--epochs", "1", "--encoder-epochs", "1",
             "--out", pretrained.path, "--quiet", "--vector-levels", "project"] + Self.model, in: directory)
        // Pretrained weights have no head: refused with the reason.
        let (status, output) = try FusionNASBinary.run(["export", pretrained.path], in: directory)
        #expect(status == 1 && output.contains("no task head"), "\(output)")
        try Self.tool(
            ["finetune", "--dataset", manifest.path, "--genotype", genotype.path, "--weights",
             pretrained.appendingPathComponent("weights.safetensors").path, "--epochs", "1", "--encoder-epochs", "1",
             "--out", finetuned.path, "--quiet", "--vector-levels", "project"] + Self.model, in: directory)
        try Self.tool(["export", finetuned.path, "--quiet"], in: directory)
        let report = try Self.check([finetuned.appendingPathComponent("model.onnx")])
        print("[zero] " + report)
        #expect(report.hasPrefix("OK "), "\(report)")
    }
}
