import Foundation
@testable import FusionNASCommand
import Tensors
import Testing

/// The real `fusion-nas` executable, run as a user would.
@Suite(.serialized) struct EndToEndTests {
    static let subcommands = ["run", "search", "pretrain", "finetune", "evaluate", "export", "sweep", "study", "correlate", "genotype", "plugins", "bench", "blas", "mpi-check"]

    @Test(arguments: subcommands) func everySubcommandHasHelpWithDefaults(_ name: String) throws {
        let directory = try FusionNASBinary.temporaryDirectory("help")
        let (status, output) = try FusionNASBinary.run([name, "--help"], in: directory)
        #expect(status == 0, "\(output)")
        #expect(output.contains("USAGE: fusion-nas \(name)"), "\(output)")
        if ["run", "search", "sweep"].contains(name) {
            #expect(output.contains("--dataset") && output.contains("uci-mfeat"), "defaults are shown: \(output)")
            #expect(output.contains("--seed") && output.contains("--threads") && output.contains("--resume"), "\(output)")
        }
    }

    @Test func unknownOptionIsAUsageErrorWithASuggestion() throws {
        let directory = try FusionNASBinary.temporaryDirectory("usage")
        let (status, output) = try FusionNASBinary.run(["run", "--epoch", "3"], in: directory)
        #expect(status == 2)
        #expect(output.contains("did you mean '--epochs'?"), "\(output)")
        let bad = try FusionNASBinary.run(["run", "--labels", "ten"], in: directory)
        #expect(bad.status == 2)
        #expect(bad.output.contains("--labels expects a fraction in (0, 1]"), "\(bad.output)")
    }

    @Test func failuresExitWithOne() throws {
        let directory = try FusionNASBinary.temporaryDirectory("failure")
        let (status, output) = try FusionNASBinary.run(["run", "--dataset", "no-such-manifest.json"] + FusionNASBinary.tinyRun, in: directory)
        #expect(status == 1, "\(output)")
        #expect(output.contains("no-such-manifest.json"), "the message names the file: \(output)")
        let unknown = try FusionNASBinary.run(["search", "--objective", "warp", "--epochs", "1", "--threads", "1"], in: directory)
        #expect(unknown.status == 1)
        #expect(unknown.output.contains("unknown objective 'warp'") && unknown.output.contains("ntxent"), "\(unknown.output)")
    }

    @Test func pluginsListShowsBuiltIns() throws {
        let directory = try FusionNASBinary.temporaryDirectory("plugins")
        let (status, output) = try FusionNASBinary.run(["plugins", "list"], in: directory)
        #expect(status == 0, "\(output)")
        for name in ["bmnas", "concat_fc", "low_rank_tensor", "ntxent", "clip", "mlp", "cnn", "crop_flip"] {
            #expect(output.contains("| \(name) "), "\(name) missing from:\n\(output)")
        }
        #expect(output.contains("built-in (BMNAS)"))
    }

    /// Builds the C plugin of Plugins/CGatedProduct with cc.
    static func buildGatedProduct(in directory: URL) throws -> URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let library = directory.appendingPathComponent("libgated_product.so")
        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        cc.arguments = [
            "cc", "-shared", "-fPIC", "-I", root.appendingPathComponent("Sources/CPluginABI/include").path,
            root.appendingPathComponent("Plugins/CGatedProduct/gated_product.c").path, "-o", library.path, "-lm",
        ]
        try cc.run()
        cc.waitUntilExit()
        try #require(cc.terminationStatus == 0, "cc failed")
        return library
    }

    @Test func pluginsListShowsALoadedPluginFromTheCommandLineAndFromAConfigFile() throws {
        let directory = try FusionNASBinary.temporaryDirectory("plugin-list")
        let library = try Self.buildGatedProduct(in: directory)
        let (status, output) = try FusionNASBinary.run(["plugins", "list", "--plugin", library.path], in: directory)
        #expect(status == 0, "\(output)")
        #expect(output.contains("| primitive") && output.contains("| gated_product ") && output.contains(library.path), "\(output)")
        let config = directory.appendingPathComponent("config.json")
        try Data(#"{"plugins": ["libgated_product.so"]}"#.utf8).write(to: config)
        let viaConfig = try FusionNASBinary.run(["plugins", "list", "--config", config.path], in: URL(fileURLWithPath: "/"))
        #expect(viaConfig.status == 0, "\(viaConfig.output)")
        #expect(viaConfig.output.contains("| gated_product "), "relative to the config file: \(viaConfig.output)")
        let missing = try FusionNASBinary.run(["plugins", "list", "--plugin", "/nonexistent/libnothing.so"], in: directory)
        #expect(missing.status == 1)
        #expect(missing.output.contains("/nonexistent/libnothing.so"), "\(missing.output)")
    }

    @Test func runWritesEveryRunFile() throws {
        let directory = try FusionNASBinary.temporaryDirectory("run")
        let out = directory.appendingPathComponent("first")
        let (status, output) = try FusionNASBinary.run(["run", "--out", out.path] + FusionNASBinary.tinyRun, in: directory)
        #expect(status == 0, "\(output)")
        for file in [
            "config.json", "genotype.json", "architecture.svg", "architecture.dot", "metrics.jsonl", "summary.md",
            "summary.json", "weights.safetensors", "loss.svg", "architecture_weights.svg", "architecture_weights.csv",
            "supervised-genotype.json",
        ] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "missing \(file)")
        }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any]
        for key in ["label_fraction", "metric", "ssl_test", "supervised_test", "genotype"] {
            #expect(summary?[key] != nil, "summary.json lacks \(key)")
        }
        #expect(output.contains("Found without labels: cell 0 = "), "\(output)")
        // "+ pretraining", or "trained from scratch" when the scratch fallback won on validation.
        #expect(output.split(separator: "\n").contains { $0.hasPrefix("| self-supervised search") && $0.contains("| 10%") }, "\(output)")
        // The saved configuration reproduces the run's options.
        let config = try String(contentsOf: out.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(config.contains("\"search-epochs\": 3"), "\(config)")
        // A second run into the same directory is refused.
        let again = try FusionNASBinary.run(["run", "--out", out.path] + FusionNASBinary.tinyRun, in: directory)
        #expect(again.status == 1)
        #expect(again.output.contains("already exists and is not empty; pass --resume"), "\(again.output)")
    }

    @Test func sweepWritesOneRowPerMethodFractionAndSeed() throws {
        let directory = try FusionNASBinary.temporaryDirectory("sweep")
        let out = directory.appendingPathComponent("sweep")
        let (status, output) = try FusionNASBinary.run(
            ["sweep", "--out", out.path, "--fractions", "0.05,1", "--seeds", "0,1"] + FusionNASBinary.tinyRun, in: directory)
        #expect(status == 0, "\(output)")
        let csv = try String(contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines.first?.hasPrefix("method,fraction,seed,metric,value") == true)
        #expect(lines.count == 1 + 2 * 2 * 2, "\(csv)")
        #expect(lines.contains { $0.hasPrefix("ssl,0.05,1,accuracy,") } && lines.contains { $0.hasPrefix("supervised,1.0,0,accuracy,") }, "\(csv)")
        let table = try String(contentsOf: out.appendingPathComponent("results.md"), encoding: .utf8)
        #expect(table.contains("| 5%") && table.contains("±"), "\(table)")
        for file in ["metric-vs-fraction.svg", "genotypes/ssl-seed0.json", "genotypes/supervised-r1.0-seed1.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "missing \(file)")
        }
    }

    @Test func sweepRunsOnlyTheChosenMethod() throws {
        let directory = try FusionNASBinary.temporaryDirectory("sweep-methods")
        let out = directory.appendingPathComponent("sweep")
        let (status, output) = try FusionNASBinary.run(
            ["sweep", "--out", out.path, "--methods", "supervised", "--fractions", "1", "--seeds", "3"] + FusionNASBinary.tinyRun,
            in: directory)
        #expect(status == 0, "\(output)")
        let csv = try String(contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").dropFirst()
        #expect(lines.count == 1 && lines.allSatisfy { $0.hasPrefix("supervised,1.0,3,accuracy,") }, "\(csv)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("genotypes/ssl-seed3.json").path))
        let wrong = try FusionNASBinary.run(["sweep", "--out", "w", "--methods", "ssl,byol"] + FusionNASBinary.tinyRun, in: directory)
        #expect(wrong.status == 2 && wrong.output.contains("--methods expects ssl, supervised or both"), "\(wrong.output)")
    }

    @Test func stageCommandsChainSearchPretrainFinetuneEvaluate() throws {
        let directory = try FusionNASBinary.temporaryDirectory("stages")
        let common = ["--modalities", "fou,kar", "--channels", "8", "--length", "4", "--threads", "1"]
        let search = try FusionNASBinary.run(["search", "--out", "s", "--epochs", "2"] + common, in: directory)
        try #require(search.status == 0, "\(search.output)")
        #expect(search.output.contains("Found architecture: cell 0 = "), "\(search.output)")
        let genotype = directory.appendingPathComponent("s/genotype.json").path
        for file in ["s/architecture.svg", "s/architecture.dot", "s/architecture_weights.csv"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path), "missing \(file)")
        }
        let pretrain = try FusionNASBinary.run(["pretrain", "--out", "p", "--genotype", genotype, "--epochs", "2"] + common, in: directory)
        try #require(pretrain.status == 0, "\(pretrain.output)")
        let pretrained = directory.appendingPathComponent("p/weights.safetensors").path
        let finetune = try FusionNASBinary.run(
            ["finetune", "--out", "f", "--genotype", genotype, "--weights", pretrained, "--epochs", "4", "--labels", "0.2"] + common,
            in: directory)
        try #require(finetune.status == 0, "\(finetune.output)")
        #expect(finetune.output.contains("| test") && finetune.output.contains("accuracy"), "\(finetune.output)")
        let tuned = directory.appendingPathComponent("f/weights.safetensors").path
        let evaluate = try FusionNASBinary.run(
            ["evaluate", "--out", "e", "--genotype", genotype, "--weights", tuned, "--labels", "0.2"] + common, in: directory)
        try #require(evaluate.status == 0, "\(evaluate.output)")
        // Evaluating the fine-tuned weights reproduces the fine-tuning run's test figure.
        func testLine(_ text: String) -> Substring? { text.split(separator: "\n").first { $0.hasPrefix("| test") } }
        #expect(testLine(evaluate.output) != nil && testLine(evaluate.output) == testLine(finetune.output), "\(evaluate.output)\n\(finetune.output)")
        // Weights of another genotype are refused with the file named.
        let wrong = try FusionNASBinary.run(["evaluate", "--out", "x", "--genotype", genotype, "--weights", genotype] + common, in: directory)
        #expect(wrong.status == 1)
        #expect(wrong.output.contains(genotype), "\(wrong.output)")
        let missing = try FusionNASBinary.run(["pretrain", "--out", "y"] + common, in: directory)
        #expect(missing.status == 2)
        #expect(missing.output.contains("--genotype FILE is required"), "\(missing.output)")
    }

    @Test func benchPrintsOneJSONLinePerWorkloadWithTheReferenceKeys() throws {
        let directory = try FusionNASBinary.temporaryDirectory("bench")
        let (status, output) = try FusionNASBinary.run(["bench", "all", "--iters", "1", "--warmup", "0", "--threads", "1"], in: directory)
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n").filter { $0.hasPrefix("{") }
        let records = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(records.compactMap { $0["workload"] as? String } == ["mlp", "bmnas"], "\(output)")
        for record in records {
            for key in ["workload", "threads", "iters", "median_ms", "min_ms", "max_ms", "gflops", "sgemm_gflops", "blas_kernel", "blas_kernel_chosen_by"] {
                #expect(record[key] != nil, "\(key) missing in \(record)")
            }
            #expect(record["threads"] as? Int == 1 && record["iters"] as? Int == 1)
            // One iteration: its time is the median, minimum and maximum, and the rates follow from it.
            let median = record["median_ms"] as? Double ?? 0, gflops = record["gflops"] as? Double ?? 0
            let peak = record["sgemm_gflops"] as? Double ?? 0
            #expect(median > 0 && record["min_ms"] as? Double == median && record["max_ms"] as? Double == median, "\(record)")
            let nominal = record["nominal_gflop"] as? Double ?? 0
            #expect(nominal > 0 && Swift.abs(gflops - nominal / (median / 1e3)) <= 1e-9 * gflops, "\(record)")
            #expect(peak > 0 && Swift.abs((record["fraction_of_sgemm"] as? Double ?? 0) - gflops / peak) <= 1e-9, "\(record)")
        }
        // The mlp line reports the workload's own figures: one training step from seed 0 gives the
        // same loss and parameter bits in this process, with the same OpenBLAS kernel (the tool
        // otherwise picks its own, which rounds differently); the first loss of a fresh 10-class
        // classifier is near log 10.
        let mlp = MLPWorkload(seed: 0)
        mlp.iterate()
        let sameKernel = try FusionNASBinary.run(
            ["bench", "mlp", "--iters", "1", "--warmup", "0", "--threads", "1"], in: directory,
            environment: ["OPENBLAS_CORETYPE": BLASKernel.current])
        let mlpLine = sameKernel.output.split(separator: "\n").first { $0.hasPrefix("{") }.map(String.init) ?? ""
        let mlpRecord = try JSONSerialization.jsonObject(with: Data(mlpLine.utf8)) as? [String: Any]
        #expect(mlpRecord?["blas_kernel"] as? String == BLASKernel.current, "\(sameKernel.output)")
        #expect(mlpRecord?["checksum"] as? String == mlp.checksum, "\(sameKernel.output)")
        #expect((mlpRecord?["last_loss"] as? Double).map(Float.init) == mlp.lastLoss, "\(sameKernel.output) vs \(mlp.lastLoss)")
        #expect(Swift.abs(Double(mlp.lastLoss) - Foundation.log(10.0)) < 0.5, "\(mlp.lastLoss)")
        let unknown = try FusionNASBinary.run(["bench", "resnet"], in: directory)
        #expect(unknown.status == 2, "\(unknown.output)")
    }

    /// Kills a run with SIGKILL in the middle of its search, resumes it, and compares with a run
    /// that was never interrupted.
    @Test func resumeAfterSIGKILLMatchesAnUninterruptedRun() throws {
        let directory = try FusionNASBinary.temporaryDirectory("resume")
        let arguments = FusionNASBinary.tinyRun.map { $0 == "3" ? "5" : $0 }
        let reference = directory.appendingPathComponent("reference")
        let whole = try FusionNASBinary.run(["run", "--out", reference.path] + arguments, in: directory)
        try #require(whole.status == 0, "\(whole.output)")

        let killed = directory.appendingPathComponent("killed")
        let process = try FusionNASBinary.start(["run", "--out", killed.path] + arguments, in: directory, log: "killed.txt")
        let checkpoint = killed.appendingPathComponent("checkpoints/ssl-search.safetensors")
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: checkpoint.path) && process.isRunning && Date() < deadline {
            usleep(20_000)
        }
        try #require(process.isRunning, "the run ended before it could be killed")
        usleep(150_000)  // into the next epoch
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(!FileManager.default.fileExists(atPath: killed.appendingPathComponent("summary.json").path))

        let resumed = try FusionNASBinary.run(["run", "--resume", killed.path], in: directory)
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.output.contains("resumed after epoch"), "\(resumed.output)")
        func summary(_ run: URL) throws -> [String: Any] {
            var object = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("summary.json"))) as! [String: Any]
            object["run_directory"] = nil
            for method in ["ssl", "supervised"] {
                var result = object[method] as! [String: Any]
                result["seconds"] = nil
                object[method] = result
            }
            return object
        }
        let a = try summary(reference), b = try summary(killed)
        #expect(NSDictionary(dictionary: a).isEqual(to: b), "resumed \(b) differs from uninterrupted \(a)")
        let metricsA = try String(contentsOf: reference.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        let metricsB = try String(contentsOf: killed.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        #expect(metricsA == metricsB, "metrics.jsonl differs after resume")
    }

    @Test func corruptCheckpointIsRefusedAndThePreviousOneKept() throws {
        let directory = try FusionNASBinary.temporaryDirectory("corrupt")
        let out = directory.appendingPathComponent("run")
        let first = try FusionNASBinary.run(["search", "--out", out.path, "--epochs", "2", "--channels", "8", "--length", "4", "--threads", "1"], in: directory)
        try #require(first.status == 0, "\(first.output)")
        let checkpoint = out.appendingPathComponent("checkpoints/ssl-search.safetensors")
        let previous = out.appendingPathComponent("checkpoints/ssl-search.previous.safetensors")
        #expect(FileManager.default.fileExists(atPath: previous.path))
        let bytes = try Data(contentsOf: checkpoint)
        try bytes.prefix(bytes.count / 2).write(to: checkpoint)
        let resumed = try FusionNASBinary.run(["search", "--resume", out.path], in: directory)
        #expect(resumed.status == 1)
        #expect(resumed.output.contains("checkpoint \(checkpoint.path) cannot be read"), "\(resumed.output)")
        #expect(resumed.output.contains("previous checkpoint \(previous.path) is intact"), "\(resumed.output)")
        #expect(FileManager.default.fileExists(atPath: previous.path))
    }
}
