import Testing
import Tensors
@testable import MultimodalData

@Suite struct HDF5AndMMIMDBTests {
    /// A tiny file with MM-IMDB's layout: `features` N x 300, `vgg_features` N x 4096, `genres` N x 23.
    static func writeMMIMDB(_ path: String, movies n: Int, textWidth: Int = 300, corrupt: Bool = false) throws {
        let text = Tensor(shape: [n, textWidth], values: (0..<(n * textWidth)).map { Float($0 % 7) })
        let image = Tensor(shape: [n, 4096], values: (0..<(n * 4096)).map { Float($0 % 5) })
        let genres = Tensor(shape: [n, 23], values: (0..<(n * 23)).map { ($0 % 23) == ($0 / 23) % 23 ? 1 : 0 })
        if corrupt { image.data[4096 * 3 + 10] = .nan }
        try HDF5Writer.write([("features", text), ("vgg_features", image), ("genres", genres)], to: path)
    }

    @Test func datasetsRoundTripWithTheirShapes() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("t.h5")
        try HDF5Writer.write([("a", Tensor(shape: [2, 3, 2], values: (0..<12).map(Float.init)))], to: path)
        let read = try HDF5Reader.read(path: path, dataset: "a")
        #expect(read.shape == [2, 3, 2])
        #expect(read.values == (0..<12).map(Float.init))
        #expect(try HDF5Reader.shape(path: path, dataset: "a") == [2, 3, 2])
    }

    @Test func missingDatasetNamesFileDatasetAndContents() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("t.h5")
        try HDF5Writer.write([("present", Tensor(shape: [1], values: [1]))], to: path)
        #expect { _ = try HDF5Reader.read(path: path, dataset: "absent") } throws: { message($0, mentions: path, "'absent'", "present") }
    }

    @Test func nonHDF5FileIsReported() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("fake.hdf5", "just text")
        #expect { _ = try HDF5Reader.read(path: path, dataset: "x") } throws: { message($0, mentions: path, "not an HDF5 file") }
    }

    @Test func mmimdbLayoutLoadsWithProportionalSplit() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("mmimdb.hdf5")
        try Self.writeMMIMDB(path, movies: 40)
        let data = try DatasetLoader.load(path: path)
        #expect(data.modalityNames == ["text", "image"])
        #expect(data.modalities.map(\.sampleShape) == [[300], [4096]])
        #expect(data.sampleCount == 40)
        #expect(data.split.train == Array(0..<24))
        #expect(data.split.validation == Array(24..<28))
        #expect(data.split.test == Array(28..<40))
        guard case .multiLabel(let genres, let names) = data.labels else {
            Issue.record("MM-IMDB labels are multi-label")
            return
        }
        #expect(names.count == 23 && names[0] == "Drama")
        #expect(genres.data[23 + 1] == 1)
    }

    @Test func mmimdbStandardSplitSizes() {
        let split = MMIMDB.splitFor(count: 25_959)
        #expect(split.train.count == 15_552 && split.validation.count == 2_608 && split.test.count == 7_799)
    }

    @Test func mmimdbWrongShapeNamesDatasetAndShape() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("m.hdf5")
        try Self.writeMMIMDB(path, movies: 4, textWidth: 299)
        #expect { _ = try MMIMDB.load(hdf5Path: path) } throws: { message($0, mentions: path, "'features'", "[4, 299]") }
    }

    @Test func mmimdbNonFiniteFeatureNamesRow() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("m.hdf5")
        try Self.writeMMIMDB(path, movies: 5, corrupt: true)
        #expect { _ = try MMIMDB.load(hdf5Path: path) } throws: { message($0, mentions: path, "'vgg_features'", "row 3", "column 10") }
    }
}
