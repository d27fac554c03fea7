import Foundation
import Testing
import Tensors
@testable import MultimodalData

/// The two datasets shipped besides `uci-mfeat`: counts, shapes, classes and the provider's splits,
/// which every documented reference figure depends on.
@Suite struct ShippedDatasetTests {
    /// The sorted class counts, so a change to the label order or file would show.
    private func classCounts(_ labels: Labels) -> [Int] {
        guard case .multiClass(let classes, let names) = labels else { return [] }
        var counts = [Int](repeating: 0, count: names.count)
        for c in classes { counts[c] += 1 }
        return counts
    }

    private func expectDisjointCover(_ split: DatasetSplit, total: Int) {
        let parts = [Set(split.train), Set(split.validation), Set(split.test)]
        #expect(parts.map(\.count) == [split.train.count, split.validation.count, split.test.count] as [Int], "no index repeats within a part")
        #expect(parts[0].isDisjoint(with: parts[1]) && parts[0].isDisjoint(with: parts[2]) && parts[1].isDisjoint(with: parts[2]))
        #expect(parts[0].union(parts[1]).union(parts[2]) == Set(0..<total), "the split covers every sample")
    }

    @Test func satelliteLoadsFourBandsAs3x3ImagesWithSixClasses() throws {
        let data = try EmbeddedDatasets.satellite()
        #expect(data.name == "satellite")
        #expect(data.sampleCount == 6435)
        #expect(data.modalityNames == ["green", "red", "nir1", "nir2"])
        #expect(data.modalities.map(\.kind) == [.image, .image, .image, .image])
        #expect(data.modalities.map(\.sampleShape) == Array(repeating: [1, 3, 3], count: 4))
        guard case .multiClass(let classes, let names) = data.labels else {
            Issue.record("satellite labels should be multi-class")
            return
        }
        #expect(names == ["cotton crop", "damp grey soil", "grey soil", "red soil", "vegetation stubble", "very damp grey soil"])
        #expect(classCounts(data.labels) == [703, 626, 1358, 1533, 707, 1508], "the README's class counts")
        #expect(names[classes[0]] == "grey soil")
        // green.csv's first row, p0..p8 row-major.
        #expect(Array(data.modalities[0].features.values[0..<9]) == [92, 84, 84, 101, 92, 84, 102, 88, 84])
    }

    @Test func satelliteHasTheShippedDisjointSplit() throws {
        let data = try EmbeddedDatasets.satellite(modalities: ["red", "nir2"])
        #expect(data.modalityNames == ["red", "nir2"])
        #expect([data.split.train.count, data.split.validation.count, data.split.test.count] as [Int] == [4505, 965, 965])
        expectDisjointCover(data.split, total: 6435)
    }

    @Test func smartwatchIMULoadsTwoSensorsAsSequencesWithSevenClasses() throws {
        let data = try EmbeddedDatasets.smartwatchIMU()
        #expect(data.name == "smartwatch-imu")
        #expect(data.sampleCount == 4677)
        #expect(data.modalityNames == ["accelerometer", "gyroscope"])
        #expect(data.modalities.map(\.kind) == [.sequence, .sequence])
        #expect(data.modalities.map(\.sampleShape) == [[3, 100], [3, 100]])
        guard case .multiClass(let classes, let names) = data.labels else {
            Issue.record("smartwatch-imu labels should be multi-class")
            return
        }
        #expect(names == ["PEN", "ABD", "FEL", "IR", "ER", "TRAP", "ROW"])
        #expect(classCounts(data.labels) == [502, 770, 780, 718, 723, 583, 601])
        #expect(classes[0] == 0 && classes[4676] == 2)
        // ax of the first window's first sample, and wz of the last window's last sample.
        #expect(abs(data.modalities[0].features.data[0] - -1.083608) < 1e-5)
        #expect(abs(data.modalities[1].features.data[4677 * 300 - 1] - 1.430367) < 1e-5)
    }

    @Test func smartwatchIMUHasTheShippedSplitBySubject() throws {
        let data = try EmbeddedDatasets.smartwatchIMU()
        #expect([data.split.train.count, data.split.validation.count, data.split.test.count] as [Int] == [2669, 1006, 1002])
        expectDisjointCover(data.split, total: 4677)
        // The README's subjects per part (1-6 / 7-8 / 9-10): windows of one subject overlap, so a
        // subject in two parts would leak.
        let archive = try EmbeddedDatasets.resourcePath("smartwatch_imu.npz", in: "smartwatch-imu")
        let subject = try NPZReader.read(path: archive, array: "subject").integers(source: archive)
        #expect(Set(data.split.train.map { subject[$0] }) == Set(1...6))
        #expect(Set(data.split.validation.map { subject[$0] }) == Set(7...8))
        #expect(Set(data.split.test.map { subject[$0] }) == Set(9...10))
    }

    @Test func unknownModalityNamesTheAvailableOnes() {
        #expect {
            _ = try EmbeddedDatasets.satellite(modalities: ["red", "blue"])
        } throws: { "\($0)".contains("'blue'") && "\($0)".contains("green, red, nir1, nir2") }
        #expect {
            _ = try EmbeddedDatasets.smartwatchIMU(modalities: ["magnetometer"])
        } throws: { "\($0)".contains("'magnetometer'") && "\($0)".contains("accelerometer, gyroscope") }
    }

    @Test func datasetLoaderKnowsBothNames() throws {
        #expect(try DatasetLoader.load(path: "satellite").modalityNames.count == 4)
        #expect(try DatasetLoader.load(path: "smartwatch-imu").modalityNames.count == 2)
    }
}
