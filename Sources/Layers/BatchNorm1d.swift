import Tensors

/// Batch normalisation over channel axis 1 of (N, C) or (N, C, L) inputs, as `torch.nn.BatchNorm1d`.
///
/// In training mode it normalises with batch statistics and updates the running estimates; in
/// evaluation mode it normalises with the running estimates. The running estimates are tensors
/// without `requiresGrad`, so they are buffers: not trained, but saved in checkpoints.
public final class BatchNorm1d: Module, Layer, @unchecked Sendable {
    /// (C), initialised to ones.
    public let weight: Tensor
    /// (C), initialised to zeros.
    public let bias: Tensor
    /// (C) buffer, initialised to zeros.
    public let runningMean: Tensor
    /// (C) buffer, initialised to ones.
    public let runningVariance: Tensor
    public let momentum: Float
    public let epsilon: Float
    /// Whether a ReLU is fused into the output pass (BatchNorm -> ReLU without a separate op and buffer).
    public let fusedReLU: Bool
    /// In a data-parallel step, the ranks whose rows form the batch: training statistics are then
    /// those of the global batch (see ``synchroniseBatchStatistics(in:over:)``); nil for one process.
    public var statisticsGroup: (any Communicator)?

    public init(_ channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, fusedReLU: Bool = false) {
        precondition(channels > 0, "BatchNorm1d: channel count must be positive, got \(channels)")
        weight = Tensor.ones([channels]).requiringGrad()
        bias = Tensor.zeros([channels]).requiringGrad()
        runningMean = Tensor.zeros([channels])
        runningVariance = Tensor.ones([channels])
        self.momentum = momentum
        self.epsilon = epsilon
        self.fusedReLU = fusedReLU
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(
            (x.rank == 2 || x.rank == 3) && x.shape[1] == weight.count,
            "BatchNorm1d(\(weight.count)): input shape \(x.shape) is not (batch, \(weight.count)) or (batch, \(weight.count), length)")
        return batchNorm(
            x, runningMean: runningMean, runningVariance: runningVariance, weight: weight, bias: bias,
            training: isTraining, momentum: momentum, epsilon: epsilon, relu: fusedReLU, statisticsGroup: statisticsGroup)
    }

    /// Makes every ``BatchNorm1d`` under `modules` normalise with the statistics of the batch split
    /// over `group`'s ranks (nil: each its own batch again), as PyTorch's
    /// `SyncBatchNorm.convert_sync_batchnorm`.
    public static func synchroniseBatchStatistics(in modules: [Module], over group: (any Communicator)?) {
        for module in modules.flatMap({ $0.modules() }) {
            (module as? BatchNorm1d)?.statisticsGroup = group
        }
    }
}
