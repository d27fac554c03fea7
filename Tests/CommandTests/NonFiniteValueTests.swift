import Foundation
import Layers
import Testing

@testable import FusionNASCommand

/// A loss or tensor that becomes NaN or infinite stops the stage with its name, the epoch and the
/// first non-finite tensor, and NaN weights are refused rather than evaluated.
@Suite struct NonFiniteValueTests {
    static let common = ["--modalities", "fou,kar", "--channels", "8", "--length", "4", "--threads", "1"]

    @Test func aDivergingSearchStopsNamingStageEpochAndTensor() throws {
        let directory = try FusionNASBinary.temporaryDirectory("nan-search")
        let (status, output) = try FusionNASBinary.run(
            ["search", "--out", "s", "--epochs", "2", "--lr", "1e30", "--arch-lr", "1e30"] + Self.common, in: directory)
        #expect(status == 1, "\(output)")
        #expect(output.contains("ssl/search epoch 1: "), "\(output)")
        #expect(output.contains(" became nan, so the stage stopped") || output.contains(" became inf, so the stage stopped")
            || output.contains(" became -inf, so the stage stopped"), "\(output)")
        #expect(output.contains("Try a lower --lr or --arch-lr"), "\(output)")
        #expect(!output.contains("EncodingError"), "\(output)")
        // It failed before its first checkpoint: the run directory held nothing of value and is gone.
        #expect(output.contains("no epoch of it finished, so it left no checkpoint"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("s").path))
    }

    @Test func evaluateRefusesWeightsHoldingNaNNamingTheTensor() throws {
        let directory = try FusionNASBinary.temporaryDirectory("nan-weights")
        let search = try FusionNASBinary.run(["search", "--out", "s", "--epochs", "1"] + Self.common, in: directory)
        try #require(search.status == 0, "\(search.output)")
        let genotype = directory.appendingPathComponent("s/genotype.json").path
        let pretrain = try FusionNASBinary.run(["pretrain", "--out", "p", "--genotype", genotype, "--epochs", "1"] + Self.common, in: directory)
        try #require(pretrain.status == 0, "\(pretrain.output)")
        let weights = directory.appendingPathComponent("p/weights.safetensors")
        let (tensors, metadata) = try Safetensors.read(from: weights)
        let sorted = tensors.sorted { $0.key < $1.key }.map { (name: $0.key, tensor: $0.value) }
        let poisoned = sorted[sorted.count / 2].name
        tensors[poisoned]!.data[0] = .nan
        let bad = directory.appendingPathComponent("nan.safetensors")
        try Safetensors.write(sorted, metadata: metadata, to: bad)
        let (status, output) = try FusionNASBinary.run(
            ["evaluate", "--out", "e", "--genotype", genotype, "--weights", bad.path] + Self.common, in: directory)
        #expect(status == 1, "\(output)")
        #expect(output.contains("--weights \(bad.path): tensor '\(poisoned)' holds nan; these weights come from a run that diverged, so they cannot be used. Train again with a lower --lr"), "\(output)")
    }
}
