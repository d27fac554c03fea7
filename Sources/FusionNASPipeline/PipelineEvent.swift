import FusionNAS

/// What the pipeline reports while it runs; the command line turns these into progress bars,
/// `metrics.jsonl` lines and checkpoints.
public enum PipelineEvent {
    /// A stage begins: its name (e.g. `ssl/search`) and epoch count.
    case stageStarted(stage: String, epochs: Int)
    /// One optimisation step finished.
    case step(stage: String, epoch: Int, step: Int, of: Int, loss: Double)
    /// One epoch finished, with its figures.
    case epochFinished(stage: String, epoch: Int, figures: [String: Double])
    /// A search epoch finished (for the architecture-weight history).
    case searchEpoch(stage: String, record: SearchEpochRecord)
    /// A stage continues from its checkpoint after `epoch` completed epochs.
    case resumed(stage: String, epoch: Int)
    /// A stage finished.
    case stageFinished(stage: String, seconds: Double)
    /// A note worth showing (e.g. a suspicious state and what to try).
    case warning(String)
}
