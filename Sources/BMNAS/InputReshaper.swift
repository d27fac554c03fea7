import FusionNAS
import Layers
import Tensors

/// BM-NAS's reshaping of one input node to the shared (C, L): length adapted by adaptive average
/// pooling, then 1x1 conv C_i -> C, BatchNorm and ReLU (fused into the BatchNorm's output pass).
///
/// A length-1 input (a vector modality) is, with ``VectorLevels/repeat``, transformed at length 1 and
/// then repeated along L, which gives BM-NAS's result for less work; with ``VectorLevels/project`` a
/// 1x1 conv C_i -> C·L gives each of the L positions its own projection, laid out as (C, L).
final class InputReshaper: Module, @unchecked Sendable {
    let conv: Conv1d
    let norm: BatchNorm1d
    let inputLength: Int
    let channels: Int
    let length: Int
    /// Whether a vector input is projected to (C, L) rather than repeated.
    let projectsVector: Bool

    init(
        inChannels: Int, inputLength: Int, channels: Int, length: Int, vectorLevels: VectorLevels = .repeat,
        rng: inout SeededGenerator
    ) {
        projectsVector = inputLength == 1 && length > 1 && vectorLevels == .project
        conv = Conv1d(
            inChannels: inChannels, outChannels: projectsVector ? channels * length : channels, kernelSize: 1, rng: &rng)
        norm = BatchNorm1d(channels, fusedReLU: true)
        self.inputLength = inputLength
        self.channels = channels
        self.length = length
        super.init()
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(
            x.rank == 3 && x.shape[1] == conv.weight.shape[1] && x.shape[2] == inputLength,
            "InputReshaper: expected (batch, \(conv.weight.shape[1]), \(inputLength)), got \(x.shape)")
        if projectsVector {
            return norm(conv(x).reshaped([x.shape[0], channels, length]))
        }
        if inputLength == 1 {
            let y = norm(conv(x))
            return y.broadcasted(to: [x.shape[0], channels, length])
        }
        let adapted = inputLength == length ? x : adaptiveAvgPool1d(x, outputSize: length)
        return norm(conv(adapted))
    }
}
