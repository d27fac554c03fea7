import FusionNASPipeline
import Testing

@testable import FusionNASCommand

/// Every option a training command declares does something: it sets the pipeline configuration,
/// or the command reads it itself (listed below). An option declared and then ignored fails here.
@Suite struct PipelineOptionsTests {
    /// Options the session or the command reads rather than the configuration.
    static let readByTheCommand: Set<String> = [
        // Session: threads, run directory, resume, plugins, configuration file, verbosity.
        "threads", "out", "resume", "plugin", "plugins", "config", "quiet", "verbose",
        // search, pretrain, finetune, evaluate, export: the inputs.
        "genotype", "weights",
        // sweep and study (`weights` also names study's starting weights).
        "fractions", "seeds", "methods", "workers", "architectures", "draws",
        // run: the arm a worker of `run --workers 2` runs.
        "arm",
        // correlate.
        "samples", "probe-labels",
    ]

    /// A value other than the default for each configuration option (a flag is just given).
    static let otherValue: [String: String] = [
        "dataset": "synthetic-planted", "modalities": "a,b", "labels": "0.5", "objective": "clip", "primitives": "sum",
        "seed": "3", "channels": "8", "length": "4", "cells": "3", "steps": "2", "dropout": "0.2", "batch-size": "16",
        "lr": "0.01", "arch-lr": "0.01", "temperature": "0.3", "encoder-training": "pretrained-frozen",
        "encoder-epochs": "3", "search-epochs": "3", "pretrain-epochs": "3", "finetune-epochs": "3",
        "fine-tuning": "full", "epochs": "3", "beta-decay": "0.5", "selection": "perturbation",
        "modality-coverage": "every", "vector-levels": "project", "scratch-fallback": "off",
        "search-space": "other", "encoders": "pix=mlp", "augmentations": "gaussian_noise:std=0.05",
        "alternation": "every-epoch", "weight-schedule": "warm-restarts", "gradient-clip": "none",
        "input-pooling": "maximum", "cell-output": "reference",
    ]

    /// The setting `--epochs` stands for in each command that declares it (as each passes it to
    /// `PipelineOptions.configuration`).
    static func epochsStandFor(_ command: String) -> WritableKeyPath<PipelineConfiguration, Int>? {
        switch command {
        case "run", "sweep", "search", "study": \.searchEpochs
        case "pretrain": \.pretrainEpochs
        case "finetune": \.finetuneEpochs
        default: nil
        }
    }

    static var trainingCommands: [Command] {
        FusionNASCommand.tool.commands.filter { command in command.options.contains { $0.name == PipelineOptions.dataset.name } }
    }

    @Test(arguments: trainingCommands.map(\.name))
    func everyDeclaredOptionReachesTheConfiguration(_ name: String) throws {
        let command = try #require(FusionNASCommand.tool.commands.first { $0.name == name })
        let epochs = Self.epochsStandFor(name)
        let defaults = try PipelineOptions.configuration(
            parseValues([], specs: command.options), epochs: epochs)
        for spec in command.options where !Self.readByTheCommand.contains(spec.name) {
            let arguments: [String]
            if spec.kind.takesValue {
                let value = try #require(
                    Self.otherValue[spec.name],
                    "\(name) --\(spec.name): set the configuration from it in PipelineOptions.settings and give it a value here, or list it as read by the command")
                arguments = ["--\(spec.name)", value]
            } else {
                arguments = ["--\(spec.name)"]
            }
            let given = try PipelineOptions.configuration(parseValues(arguments, specs: command.options), epochs: epochs)
            #expect(given != defaults, "\(name) \(arguments.joined(separator: " ")) does not change the pipeline configuration")
        }
    }

    @Test func everySettingIsDeclaredOnceAndByACommand() {
        let names = PipelineOptions.settings.map(\.spec.name)
        #expect(names.count == Set(names).count)
        let declared = Set(FusionNASCommand.tool.commands.flatMap { $0.options.map(\.name) })
        for name in names { #expect(declared.contains(name), "--\(name) sets the configuration but no command declares it") }
    }
}
