import Tensors

/// The labels of a batch, when the caller is allowed to read them.
public enum BatchTargets {
    /// One class index per sample.
    case classes([Int])
    /// (batch, labels) of 0/1.
    case multiLabel(Tensor)
}

/// One mini-batch: per modality, one tensor (raw input) or one tensor per level (precomputed features).
public struct Batch {
    public var inputs: [[Tensor]]
    /// Nil when the batch is unlabelled (self-supervised search and pretraining never receive labels).
    public var targets: BatchTargets?

    public init(inputs: [[Tensor]], targets: BatchTargets?) {
        self.inputs = inputs
        self.targets = targets
    }

    public var size: Int { inputs.first?.first?.shape.first ?? 0 }
}

/// The task the labels describe.
public enum TaskKind: Sendable, Codable, Equatable {
    case multiClass(classes: Int)
    case multiLabel(labels: Int)

    public var outputs: Int {
        switch self {
        case .multiClass(let c): c
        case .multiLabel(let l): l
        }
    }
}

/// Where the pipeline gets samples from. The data module adapts datasets to it.
public protocol BatchSource: AnyObject {
    /// Names of the modalities, in input order.
    var modalityNames: [String] { get }
    /// Per modality: sample shape for raw modalities, or nil with ``levelShapes(of:)`` for precomputed levels.
    func encoderConfiguration(modality index: Int) -> (encoder: String, configuration: EncoderConfiguration)
    var task: TaskKind { get }
    /// The batch of these sample indices; labels only when `withLabels`.
    func batch(_ indices: [Int], withLabels: Bool) -> Batch
}
