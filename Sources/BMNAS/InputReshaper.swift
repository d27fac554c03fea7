import Layers
import Tensors

/// BM-NAS's reshaping of one input node to the shared (C, L): length adapted by adaptive average
/// pooling, then 1x1 conv C_i -> C, BatchNorm and ReLU (fused into the BatchNorm's output pass). A length-1 input (a vector modality) is
/// transformed at length 1 and then repeated along L, which gives the same result for less work.
final class InputReshaper: Module, @unchecked Sendable {
    let conv: Conv1d
    let norm: BatchNorm1d
    let inputLength: Int
    let length: Int

    init(inChannels: Int, inputLength: Int, channels: Int, length: Int, rng: inout SeededGenerator) {
        conv = Conv1d(inChannels: inChannels, outChannels: channels, kernelSize: 1, rng: &rng)
        norm = BatchNorm1d(channels, fusedReLU: true)
        self.inputLength = inputLength
        self.length = length
        super.init()
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(
            x.rank == 3 && x.shape[1] == conv.weight.shape[1] && x.shape[2] == inputLength,
            "InputReshaper: expected (batch, \(conv.weight.shape[1]), \(inputLength)), got \(x.shape)")
        if inputLength == 1 {
            let y = norm(conv(x))
            return y.broadcasted(to: [x.shape[0], conv.weight.shape[0], length])
        }
        let adapted = inputLength == length ? x : adaptiveAvgPool1d(x, outputSize: length)
        return norm(conv(adapted))
    }
}
