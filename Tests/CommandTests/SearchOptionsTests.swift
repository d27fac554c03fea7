import FusionNASPipeline
import Testing

@testable import FusionNASCommand

/// Every command that runs a search offers the same search options, and they reach the configuration.
@Suite struct SearchOptionsTests {
    static let searching = [RunCommand.command, StageCommands.search, SweepCommand.command, StudyCommand.command]

    @Test(arguments: searching.map(\.name))
    func everySearchingCommandDeclaresTheSearchOptions(name: String) throws {
        let command = try #require(Self.searching.first { $0.name == name })
        let declared = Set(command.options.map(\.name))
        for option in PipelineOptions.search {
            #expect(declared.contains(option.name), "\(name) lacks --\(option.name)")
        }
    }

    @Test func searchOptionsReachTheConfiguration() throws {
        let arguments = ["--second-order", "--beta-decay", "0.5", "--selection", "perturbation", "--vector-levels", "project", "--modality-coverage", "any"]
        guard case .values(let options) = try ArgumentParser(specs: RunCommand.command.options).parse(arguments) else {
            Issue.record("the arguments did not parse to values")
            return
        }
        let configuration = try PipelineOptions.configuration(options, epochs: nil)
        #expect(configuration.secondOrder)
        #expect(configuration.betaDecay == 0.5)
        #expect(configuration.genotypeSelection == .perturbation)
        #expect(configuration.vectorLevels == .project)
        #expect(configuration.readsEveryModality == false)
    }

    /// The default chosen on validation differs by objective; an explicit choice applies to both.
    @Test func selectionDefaultsByObjectiveAndAnExplicitChoiceAppliesToBoth() throws {
        let defaults = PipelineConfiguration()
        #expect(defaults.genotypeSelection(readsLabels: true) == .perturbation)
        #expect(defaults.genotypeSelection(readsLabels: false) == .argmax)
        #expect(defaults.readsEveryModality(readsLabels: false))
        #expect(!defaults.readsEveryModality(readsLabels: true))
        guard case .values(let options) = try ArgumentParser(specs: RunCommand.command.options).parse(["--selection", "argmax"]) else {
            Issue.record("the arguments did not parse to values")
            return
        }
        let chosen = try PipelineOptions.configuration(options, epochs: nil)
        #expect(chosen.genotypeSelection(readsLabels: true) == .argmax)
        #expect(chosen.genotypeSelection(readsLabels: false) == .argmax)
    }

    @Test func augmentationsParseWithOptionsAndRefuseAnOptionWithoutANumber() throws {
        #expect(try PipelineOptions.augmentationChoices(["gaussian_noise:std=0.05", "feature_mask"]) == [
            AugmentationChoice(name: "gaussian_noise", options: ["std": 0.05]), AugmentationChoice(name: "feature_mask"),
        ])
        #expect(throws: UsageError.self) { try PipelineOptions.augmentationChoices(["gaussian_noise:std=much"]) }
        #expect(throws: UsageError.self) { try PipelineOptions.encoderChoices(["pix"]) }
        #expect(throws: UsageError.self) { try PipelineOptions.encoderChoices(["pix=cnn", "pix=mlp"]) }
    }

    @Test func aNegativeBetaDecayIsRefused() throws {
        guard case .values(let options) = try ArgumentParser(specs: RunCommand.command.options).parse(["--beta-decay", "-1"]) else {
            Issue.record("the arguments did not parse to values")
            return
        }
        #expect(throws: UsageError.self) { try PipelineOptions.configuration(options, epochs: nil) }
    }
}
