import Contrastive
import FusionNAS
import FusionNASPipeline
import TestSupport
import Testing

/// Every seed the pipeline draws comes from a ``Stage``; these numbers are part of every result.
@Suite struct StageTests {
    /// The numbers the pipeline has always drawn; a change here changes every figure a seed gives
    /// (and `run`, `sweep`, `study` and the stage commands would stop matching earlier runs).
    @Test func stagesKeepTheirSeedNumbers() {
        let expected: [(Stage, String, [Stage.Stream: UInt64])] = [
            (.selfSupervisedEncoders, "ssl/encoders", [.build: 10, .training: 1]),
            (.selfSupervisedSearch, "ssl/search", [.build: 11, .training: 2]),
            (.selfSupervisedPretraining, "ssl/pretrain", [.build: 13, .training: 14]),
            (.selfSupervisedFineTuning, "ssl/finetune", [.head: 15, .training: 16, .probe: 17]),
            (.selfSupervisedScratch, "ssl/scratch", [.build: 60, .head: 61, .training: 62, .probe: 63]),
            (.supervisedSearch, "supervised/search", [.build: 20, .split: 21, .training: 2]),
            (.supervisedTraining, "supervised/train", [.build: 22, .head: 23, .training: 24, .probe: 25]),
            (.studyFineTuning, "study/finetune", [.build: 22, .head: 15, .training: 16, .probe: 17]),
            (.studyRandomArchitectures, "study/random", [.build: 30]),
            (.studyLinearBaseline, "study/linear", [.training: 40]),
            (.correlationArchitectures, "correlate/random", [.build: 50]),
            (.correlationProbe, "correlate/probe", [.head: 15, .training: 16, .probe: 17]),
            (.correlationSupervised, "correlate/supervised", [.build: 22, .head: 23, .training: 24, .probe: 25]),
        ]
        for (stage, name, streams) in expected {
            #expect(stage.name == name)
            #expect(stage.streams == streams, "\(name)")
        }
        // The derivation itself: the run's seed times 2654435769 plus the stream's number.
        #expect(Stage.selfSupervisedFineTuning.seed(.head, runSeed: 0) == 15)
        #expect(Stage.selfSupervisedFineTuning.seed(.training, runSeed: 3) == 3 &* 0x9E37_79B9 &+ 16)
    }

    @Test func aRenamedStageDrawsTheSameNumbers() {
        let alone = Stage.selfSupervisedFineTuning.named("finetune")
        #expect(alone.name == "finetune")
        for stream in Stage.Stream.allCases where Stage.selfSupervisedFineTuning.streams[stream] != nil {
            #expect(alone.seed(stream, runSeed: 7) == Stage.selfSupervisedFineTuning.seed(stream, runSeed: 7))
        }
    }

    /// `sweep` and `study` pretrain once per seed and fine-tune a restored copy at each fraction;
    /// that must give `run`'s figures, whatever the earlier fractions did to the network.
    @Test func fineTuningARestoredPretrainedNetworkReproducesTheRun() throws {
        var c = smallPipelineConfiguration()
        c.labelFraction = 0.5
        let registry = try bmnasRegistry()
        try ContrastiveComponents.register(in: registry)
        let run = try FusionPipeline(configuration: c, registry: registry, data: try PreparedData.load(c)).runSelfSupervised()

        var unlabelled = c
        unlabelled.labelFraction = 1
        let shared = FusionPipeline(configuration: unlabelled, registry: registry, data: try PreparedData.load(unlabelled))
        let (pretrained, _) = try shared.selfSupervisedPretrained()
        pretrained.restore()
        _ = try shared.atLabelFraction(0.2).fineTuneSelfSupervised(pretrained)
        pretrained.restore()
        let again = try shared.atLabelFraction(0.5).fineTuneSelfSupervised(pretrained)
        #expect(again.genotype == run.result.genotype)
        #expect(again.validation == run.result.validation)
        #expect(again.test == run.result.test)
    }
}
