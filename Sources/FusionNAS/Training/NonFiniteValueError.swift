import Tensors

/// A loss or tensor of a training stage that became NaN or infinite.
///
/// The trainers check the loss at every step and every trained tensor once per epoch, and throw
/// this before the epoch's checkpoint is written, so the stage's last checkpoint stays the last
/// good state. A diverged value left unchecked would otherwise train on silently, or surface much
/// later as an unrelated failure (a JSON encoder refusing `nan`).
public struct NonFiniteValueError: Error, CustomStringConvertible {
    /// The stage's name (`ssl/search`); the trainers know only their kind, the pipeline fills it in.
    public var stage: String
    /// The epoch (from 1) during which the value appeared.
    public let epoch: Int
    /// What became non-finite: `tensor 'network.body.cells.0.alpha'` or `the ntxent loss at step 3`.
    public let subject: String
    public let value: Double
    /// What happened to the last good state, added by the pipeline (e.g. the checkpoint kept).
    public var kept: String?

    public init(stage: String, epoch: Int, subject: String, value: Double, kept: String? = nil) {
        self.stage = stage
        self.epoch = epoch
        self.subject = subject
        self.value = value
        self.kept = kept
    }

    public var description: String {
        // "nan" whatever its sign bit: "-nan" reads like a negative number.
        "\(stage) epoch \(epoch): \(subject) became \(value.isNaN ? "nan" : String(describing: value)), so the stage stopped"
            + (kept.map { "; \($0)" } ?? "")
            + ". Try a lower --lr or --arch-lr, a larger --batch-size, or another --seed"
    }

    /// The error for a non-finite loss: names the first non-finite tensor of `state` when there is
    /// one (the cause), otherwise the loss itself (e.g. a plugin kernel that output NaN).
    public static func loss(
        _ value: Double, objective: String, step: Int, epoch: Int, stage: String, state: [(name: String, tensor: Tensor)]
    ) -> NonFiniteValueError {
        if let bad = firstNonFiniteTensor(state) {
            return NonFiniteValueError(stage: stage, epoch: epoch, subject: "tensor '\(bad.name)'", value: Double(bad.value))
        }
        return NonFiniteValueError(stage: stage, epoch: epoch, subject: "the \(objective) loss at step \(step)", value: value)
    }

    /// Throws for the first non-finite tensor of `state`.
    public static func check(_ state: [(name: String, tensor: Tensor)], epoch: Int, stage: String) throws {
        if let bad = firstNonFiniteTensor(state) {
            throw NonFiniteValueError(stage: stage, epoch: epoch, subject: "tensor '\(bad.name)'", value: Double(bad.value))
        }
    }
}

/// The first of `tensors` holding a NaN or an infinity, with that value; nil when every value is finite.
public func firstNonFiniteTensor(_ tensors: [(name: String, tensor: Tensor)]) -> (name: String, value: Float)? {
    for (name, tensor) in tensors {
        let data = tensor.data
        for i in 0..<tensor.count where !data[i].isFinite { return (name, data[i]) }
    }
    return nil
}
