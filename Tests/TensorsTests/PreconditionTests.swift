import Testing
@testable import Tensors

/// Usage errors stop the process with a precondition failure (run in a child process).
@Suite struct PreconditionTests {
    @Test func crossEntropyRejectsLabelOutOfRange() async {
        await #expect(processExitsWith: .failure) {
            _ = softmaxCrossEntropy(logits: Tensor.zeros([2, 3]), labels: [0, 3])
        }
    }

    @Test func convolutionRejectsChannelMismatch() async {
        await #expect(processExitsWith: .failure) {
            _ = conv2d(Tensor.zeros([1, 2, 4, 4]), weight: Tensor.zeros([1, 3, 3, 3]), bias: nil)
        }
    }

    @Test func embeddingRejectsUnknownId() async {
        await #expect(processExitsWith: .failure) {
            _ = embedding([5], table: Tensor.zeros([5, 2]))
        }
    }
}
