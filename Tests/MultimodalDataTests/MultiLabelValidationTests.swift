import Foundation
import Testing
import Tensors

@testable import MultimodalData

/// Multi-label labels with nothing to learn are refused naming the file.
@Suite struct MultiLabelValidationTests {
    @Test func zeroColumnsAreRefused() {
        let labels = Labels.multiLabel(Tensor.zeros([3, 0]), labelNames: [])
        #expect { try labels.validate(source: "labels.npy") } throws: {
            message($0, mentions: "labels.npy", "multi-label labels have 0 columns (shape [3, 0]); give one column per label, at least one")
        }
    }

    @Test func allZeroLabelsAreRefused() {
        let labels = Labels.multiLabel(Tensor.zeros([3, 2]), labelNames: ["a", "b"])
        #expect { try labels.validate(source: "labels.npy") } throws: {
            message($0, mentions: "labels.npy", "every multi-label entry is 0, so no sample has a label; mark each sample's labels with 1")
        }
    }

    @Test func oneTwoByTwoLabelMatrixWithAPositivePasses() throws {
        try Labels.multiLabel(Tensor(shape: [2, 2], values: [0, 1, 0, 0]), labelNames: ["a", "b"]).validate(source: "labels.npy")
    }
}
