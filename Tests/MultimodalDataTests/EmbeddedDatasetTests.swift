import Foundation
import Testing
import Tensors
@testable import MultimodalData

@Suite struct EmbeddedDatasetTests {
    @Test func uciMFeatLoadsAllSixViewsWithTheirShapes() throws {
        let data = try EmbeddedDatasets.uciMFeat(modalities: EmbeddedDatasets.uciMFeatViews)
        #expect(data.sampleCount == 2000)
        #expect(data.modalities.map(\.sampleShape) == [[1, 16, 15], [76], [216], [64], [47], [6]])
        #expect(data.modalities.map(\.kind) == [.image, .vector, .vector, .vector, .vector, .vector])
        guard case .multiClass(let classes, let names) = data.labels else {
            Issue.record("uci-mfeat labels should be multi-class")
            return
        }
        #expect(names == (0..<10).map(String.init))
        #expect(classes[0] == 0 && classes[1999] == 9)
    }

    @Test func uciMFeatSplitIsStratified701515AndSeeded() throws {
        let data = try EmbeddedDatasets.uciMFeat()
        #expect(data.split.train.count == 1400)
        #expect(data.split.validation.count == 300)
        #expect(data.split.test.count == 300)
        guard case .multiClass(let classes, _) = data.labels else { return }
        for c in 0..<10 {
            #expect(data.split.train.filter { classes[$0] == c }.count == 140)
            #expect(data.split.validation.filter { classes[$0] == c }.count == 30)
        }
        let all = Set(data.split.train + data.split.validation + data.split.test)
        #expect(all.count == 2000)
        let again = try EmbeddedDatasets.uciMFeat(seed: 0)
        let other = try EmbeddedDatasets.uciMFeat(seed: 1)
        #expect(again.split == data.split)
        #expect(other.split != data.split)
    }

    /// The first digit is a '0': in the chosen orientation its middle rows have ink on both sides
    /// and none in the centre.
    @Test func uciMFeatPixOrientationShowsAnUprightZero() throws {
        let data = try EmbeddedDatasets.uciMFeat(modalities: ["pix", "mor"])
        let image = data.modalities[0].features
        let (h, w) = EmbeddedDatasets.uciMFeatImageSize
        func ink(_ r: Int, _ c: Int) -> Bool { image.data[r * w + c] > 2 }
        for r in 4..<(h - 4) {
            #expect(ink(r, 0) || ink(r, 1))
            #expect(!ink(r, 7))
            #expect(ink(r, w - 1) || ink(r, w - 2) || ink(r, w - 3))
        }
    }

    @Test func unknownViewNamesTheAvailableOnes() {
        #expect {
            _ = try EmbeddedDatasets.uciMFeat(modalities: ["pix", "audio"])
        } throws: { error in
            let message = "\(error)"
            return message.contains("'audio'") && message.contains("fou") && message.contains("mor")
        }
    }

    @Test func selectingReordersAndRejectsUnknownOrTooFewModalities() throws {
        let data = try EmbeddedDatasets.uciMFeat(modalities: ["pix", "fou", "zer"])
        let selected = try data.selecting(modalities: ["zer", "pix"])
        #expect(selected.modalityNames == ["zer", "pix"])
        #expect(throws: DataError.self) { try data.selecting(modalities: ["pix"]) }
        #expect {
            _ = try data.selecting(modalities: ["pix", "kar"])
        } throws: { error in "\(error)".contains("'kar'") && "\(error)".contains("available: pix, fou, zer") }
    }

    @Test func subsetKeepsRowsLabelsAndSplitMembership() throws {
        let data = try EmbeddedDatasets.uciMFeat(modalities: ["fou", "mor"])
        let picked = [data.split.test[0], data.split.train[0], 1999]
        let small = data.subset(picked)
        #expect(small.sampleCount == 3)
        #expect(small.modalities[1].features.values == Array(data.modalities[1].features.values[(picked[0] * 6)..<(picked[0] * 6 + 6)])
            + Array(data.modalities[1].features.values[(picked[1] * 6)..<(picked[1] * 6 + 6)])
            + Array(data.modalities[1].features.values[(1999 * 6)..<(1999 * 6 + 6)]))
        #expect(small.split.test.contains(0))
        #expect(small.split.train.contains(1))
        guard case .multiClass(let classes, _) = small.labels else { return }
        #expect(classes[2] == 9)
    }

    /// Loading twice gives the same features (no state kept between loads); how fast it loads is
    /// the benchmarks' business, not a test's (a wall-clock limit fails on a busy machine).
    @Test func uciMFeatLoadsTheSameValuesTwice() throws {
        let first = try EmbeddedDatasets.uciMFeat(modalities: EmbeddedDatasets.uciMFeatViews)
        let second = try EmbeddedDatasets.uciMFeat(modalities: EmbeddedDatasets.uciMFeatViews)
        #expect(first.modalities.map(\.features.values) == second.modalities.map(\.features.values))
        #expect(first.modalities.allSatisfy { $0.features.values.allSatisfy(\.isFinite) })
    }
}
