/// One stage of the pipeline: the name it reports, logs and checkpoints under, and the numbers its
/// random streams' seeds are derived from.
///
/// Every seed the pipeline draws comes from a stage, so a command that runs a stage alone (`sweep`,
/// `finetune`, `study`) draws the same numbers as `run` by naming the same stage. The numbers are
/// part of the results: changing one changes every figure a seed gives, so they are fixed here once
/// (and pinned by a test) rather than written where each stage is run.
///
/// ```swift
/// var rng = SeededGenerator(seed: Stage.selfSupervisedSearch.seed(.build, runSeed: 0))
/// ```
public struct Stage: Sendable, Hashable, CustomStringConvertible {
    /// What a random stream of a stage is for.
    public enum Stream: String, Sendable, Hashable, CaseIterable {
        /// The weights of what the stage builds: encoders, a supernet, a found network, a projection
        /// head, random genotypes.
        case build
        /// The weights of the task head that fine-tuning attaches.
        case head
        /// How the stage divides its samples (the supervised search's two halves of the labels).
        case split
        /// The training loop: batch order, augmentations, dropout.
        case training
        /// The linear-probe phase of LP-FT fine-tuning (`probe-then-full`).
        case probe
    }

    /// The name in progress lines, `metrics.jsonl` and checkpoint files (`checkpoints/<name>.safetensors`).
    public let name: String
    /// The number of each stream this stage draws from.
    public let streams: [Stream: UInt64]

    /// A stage of an experiment of one's own; the pipeline's stages are the static members.
    public init(_ name: String, streams: [Stream: UInt64]) {
        self.name = name
        self.streams = streams
    }

    /// The seed of `stream` in a run with seed `runSeed`: stages never share a random stream, and
    /// runs with different seeds differ in every stage.
    ///
    /// - Precondition: the stage has `stream` (asking for one it lacks is a programming error).
    public func seed(_ stream: Stream, runSeed: UInt64) -> UInt64 {
        guard let number = streams[stream] else {
            preconditionFailure("stage '\(name)' has no \(stream.rawValue) stream; it has \(streams.keys.map(\.rawValue).sorted())")
        }
        return runSeed &* 0x9E37_79B9 &+ number
    }

    /// The same stage under another name: same seeds, so the same numbers, but its own progress
    /// lines and checkpoint file. For commands that run one stage alone.
    public func named(_ name: String) -> Stage { Stage(name, streams: streams) }

    /// The stage with `stream` drawn as another stage draws it (an experiment that builds like one
    /// stage and trains like another, so its arms differ in nothing else).
    public func drawing(_ stream: Stream, as other: Stage) -> Stage {
        var streams = self.streams
        streams[stream] = other.streams[stream]
        return Stage(name, streams: streams)
    }

    public var description: String { name }
}

extension Stage {
    // The numbers below are those the pipeline has always used; keep them, or every result changes.

    /// Stage 0 of the self-supervised pipeline: encoders built, then pretrained alone without labels
    /// (encoder mode `pretrained-frozen`).
    public static let selfSupervisedEncoders = Stage("ssl/encoders", streams: [.build: 10, .training: 1])
    /// Stage 1: the supernet built on the encoders and searched with the self-supervised loss.
    public static let selfSupervisedSearch = Stage("ssl/search", streams: [.build: 11, .training: 2])
    /// Stage 2: the found network built and pretrained with the self-supervised loss.
    public static let selfSupervisedPretraining = Stage("ssl/pretrain", streams: [.build: 13, .training: 14])
    /// Stage 3: a head attached to the pretrained network, fine-tuned on the r labels.
    public static let selfSupervisedFineTuning = Stage("ssl/finetune", streams: [.head: 15, .training: 16, .probe: 17])

    /// Fine-tuning's fallback: the self-supervised genotype built afresh and trained on the r labels
    /// alone, kept instead of the fine-tuned network when it scores higher on validation.
    public static let selfSupervisedScratch = Stage(
        "ssl/scratch", streams: [.build: 60, .head: 61, .training: 62, .probe: 63])

    /// BM-NAS's search on the r labels, split into halves for weight and architecture steps.
    /// Its search loop draws as the self-supervised search's does.
    public static let supervisedSearch = Stage("supervised/search", streams: [.build: 20, .split: 21, .training: 2])
    /// BM-NAS's found network built from scratch and trained on the r labels.
    public static let supervisedTraining = Stage(
        "supervised/train", streams: [.build: 22, .head: 23, .training: 24, .probe: 25])

    /// A study arm's fine-tuning: fresh networks are built as the supervised baseline builds its
    /// found network, and every arm fine-tunes as the self-supervised pipeline does, so that arms
    /// differ only in the genotype or the starting weights.
    public static let studyFineTuning = selfSupervisedFineTuning.named("study/finetune")
        .drawing(.build, as: supervisedTraining)
    /// The random genotypes of a study.
    public static let studyRandomArchitectures = Stage("study/random", streams: [.build: 30])
    /// The logistic-regression baseline of a study.
    public static let studyLinearBaseline = Stage("study/linear", streams: [.training: 40])

    /// The random genotypes whose proxy figures `correlate` compares.
    public static let correlationArchitectures = Stage("correlate/random", streams: [.build: 50])
    /// `correlate`'s linear probe on the self-supervised network, drawn as the self-supervised fine-tuning.
    public static let correlationProbe = selfSupervisedFineTuning.named("correlate/probe")
    /// `correlate`'s supervised training from scratch, drawn as the supervised baseline's.
    public static let correlationSupervised = supervisedTraining.named("correlate/supervised")
}
