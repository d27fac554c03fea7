import Foundation
import FusionNAS
import FusionNASPipeline
import Layers
import Rendering

/// Writes the files a run directory holds besides checkpoints and metrics.
enum RunArtifacts {
    /// `<prefix>genotype.json`, `<prefix>architecture.svg` and `<prefix>architecture.dot`.
    static func writeGenotype(_ genotype: Genotype, in run: RunDirectory, prefix: String = "") throws {
        let renderer = GenotypeRenderer()
        try AtomicFile.write(try genotype.jsonData(), to: run.file(prefix + RunDirectory.File.genotype.rawValue))
        try AtomicFile.write(Data(renderer.svg(genotype).utf8), to: run.file(prefix + RunDirectory.File.architectureSVG.rawValue))
        try AtomicFile.write(Data(renderer.dot(genotype).utf8), to: run.file(prefix + RunDirectory.File.architectureDOT.rawValue))
    }

    /// The architecture weights over the search's epochs as `<prefix>architecture_weights.svg`, `.csv` and `.json`.
    static func writeWeightHistory(_ history: [SearchEpochRecord], primitives: [String], in run: RunDirectory, prefix: String = "") throws {
        _ = try ArchitectureWeightPlot(history: history, primitives: primitives)
            .write(to: run.url, baseName: prefix + ArchitectureWeightPlot.defaultBaseName)
    }

    /// `loss.svg`: every stage's training loss per epoch, read back from `metrics.jsonl`.
    static func writeLossPlot(in run: RunDirectory) throws {
        var curves: [String: [(Double, Double)]] = [:]
        var order: [String] = []
        for record in try MetricsLog.read(from: run.url(for: .metrics)) {
            guard case .string(let stage)? = record["stage"], case .int(let epoch)? = record["epoch"] else { continue }
            let loss: Double? = {
                switch record["train_loss"] ?? record["loss"] {
                case .double(let v)?: return v
                case .int(let v)?: return Double(v)
                default: return nil
                }
            }()
            guard let loss else { continue }
            if curves[stage] == nil { order.append(stage) }
            curves[stage, default: []].append((Double(epoch), loss))
        }
        guard !order.isEmpty else { return }
        var plot = SVGPlot(title: "Training loss by stage", xLabel: "epoch", yLabel: "loss")
        for stage in order { plot.add(stage, points: curves[stage]!.map { (x: $0.0, y: $0.1) }) }
        try plot.write(to: run.file("loss.svg"))
    }

    /// The trained network's tensors as safetensors, with the genotype in the metadata.
    static func writeWeights(_ network: MultimodalNetwork, genotype: Genotype, to url: URL) throws {
        let genotypeJSON = String(decoding: try genotype.jsonData(), as: UTF8.self)
        try Safetensors.write(network.namedTensors(), metadata: ["genotype": genotypeJSON, "format": "fusion-nas weights v1"], to: url)
    }

    /// A figure as text with three decimals.
    static func figure(_ value: Double) -> String { String(format: "%.3f", value) }
}
