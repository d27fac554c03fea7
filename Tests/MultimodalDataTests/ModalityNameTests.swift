import Foundation
import Testing
@testable import MultimodalData

@Suite struct ModalityNameTests {
    @Test(arguments: ["a,b", ""])
    func aNameThatCannotBeSelectedIsRefused(_ bad: String) throws {
        let data = try EmbeddedDatasets.uciMFeat(modalities: ["fou", "kar"])
        let renamed = Modality(name: bad, levels: data.modalities[0].tensors)
        let error = #expect(throws: DataError.self) {
            try MultimodalDataset(name: "renamed", modalities: [renamed, data.modalities[1]], labels: data.labels, split: data.split)
        }
        #expect("\(error!)".contains("modality name '\(bad)' is empty or contains a comma"), "\(error!)")
    }
}
