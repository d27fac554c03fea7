import Foundation
import FusionNAS
import FusionNASPipeline
import Testing

@testable import FusionNASCommand

/// `--alternation`, `--weight-schedule`, `--gradient-clip` (every searching command) and
/// `--input-pooling`, `--cell-output` (the fusionnas structure switches) reach the configuration,
/// are absent (the space's, or the genotype's, choice) unless given, and survive config.json.
@Suite struct ScheduleAndStructureOptionsTests {
    static func configuration(_ arguments: [String]) throws -> PipelineConfiguration {
        try PipelineOptions.configuration(parseValues(arguments, specs: RunCommand.command.options), epochs: nil)
    }

    @Test func absentOptionsLeaveTheChoiceToTheSpace() throws {
        let c = try Self.configuration([])
        #expect(c.searchAlternation == nil && c.weightSchedule == nil && c.gradientClip == nil)
        #expect(c.inputPooling == nil && c.cellOutput == nil)
        #expect(c == PipelineConfiguration())
    }

    @Test func eachOptionSetsItsSetting() throws {
        let c = try Self.configuration([
            "--alternation", "every-epoch", "--weight-schedule", "warm-restarts", "--gradient-clip", "none",
            "--input-pooling", "maximum", "--cell-output", "reference",
        ])
        #expect(c.searchAlternation == .everyEpoch)
        #expect(c.weightSchedule == .warmRestarts(firstPeriod: 1, multiplier: 2))
        #expect(c.gradientClip == .off)
        #expect(c.inputPooling == .maximum)
        #expect(c.cellOutput == .reference)
        let d = try Self.configuration(["--alternation", "every-batch", "--weight-schedule", "cosine", "--gradient-clip", "2.5"])
        #expect(d.searchAlternation == .everyBatch)
        #expect(d.weightSchedule == .cosine)
        #expect(d.gradientClip == .maximumNorm(2.5))
    }

    @Test func badValuesAreRefused() {
        for value in ["0", "-1", "off", "inf"] {
            #expect(usageMessage(["--gradient-clip", value], specs: RunCommand.command.options)?.contains("a number > 0 or none") == true, "\(value)")
        }
        #expect(usageMessage(["--cell-output", "bmnas"], specs: RunCommand.command.options) != nil)
    }

    @Test func structureSwitchesAreRefusedOutsideFusionnas() {
        #expect {
            _ = try Self.configuration(["--search-space", "bmnas", "--cell-output", "reference"])
        } throws: { "\($0)".contains("switch the fusionnas space's structure") }
        // The schedule options apply to any space.
        #expect(throws: Never.self) { _ = try Self.configuration(["--search-space", "bmnas", "--alternation", "every-batch"]) }
    }

    /// Saved as config.json writes them and read back through `--config`, the configuration is the same.
    @Test func savedConfigurationRepeatsTheOptions() throws {
        let directory = try makeCommandTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for arguments in [
            ["--alternation", "every-epoch", "--weight-schedule", "warm-restarts", "--gradient-clip", "none", "--input-pooling", "maximum"],
            ["--gradient-clip", "3", "--cell-output", "reference"],
        ] {
            let values = try parseValues(arguments, specs: RunCommand.command.options)
            let url = directory.appendingPathComponent("config.json")
            try values.renderedConfiguration().write(to: url, atomically: true, encoding: .utf8)
            let reread = try parseValues(["--config", url.path], specs: RunCommand.command.options)
            #expect(try PipelineOptions.configuration(reread, epochs: nil) == PipelineOptions.configuration(values, epochs: nil))
        }
    }

    /// `genotype show` names a switched structure, and says nothing for fusionnas's own.
    @Test func genotypeShowMentionsASwitchedStructure() {
        let cells = [CellGenotype(inputs: [0, 1], steps: [StepGenotype(inputs: [0, 1], primitive: "sum")])]
        let file = URL(fileURLWithPath: "genotype.json")
        let plain = GenotypeCommand.describe(Genotype(searchSpace: "fusionnas", inputs: ["a.0", "b.0"], cells: cells), file: file)
        #expect(!plain.contains("structure"))
        let switched = GenotypeCommand.describe(
            Genotype(searchSpace: "fusionnas", inputs: ["a.0", "b.0"], cells: cells, structure: NetworkStructure(cellOutput: .reference)),
            file: file)
        #expect(switched.contains("structure: cell output reference"), "\(switched)")
    }
}
