import Foundation
import Testing
import Tensors
@testable import MultimodalData

@Suite struct ManifestTests {
    /// Six samples, two modalities (a vector in .npy, two feature levels in a compressed .npz),
    /// integer labels and a split in text and .npy files.
    static func writeExample(_ directory: TemporaryDirectory, labels: [Int] = [0, 1, 2, 0, 1, 2], audioRows: Int = 6, manifest: String? = nil) throws -> String {
        try NPYWriter.write(NPYArray(shape: [audioRows, 4], floats: (0..<(audioRows * 4)).map(Float.init)), to: directory.path("audio.npy"))
        try NPZWriter.write([
            ("level0", NPYArray(shape: [6, 2, 3], floats: (0..<36).map(Float.init))),
            ("level1", NPYArray(shape: [6, 12], floats: (0..<72).map(Float.init))),
        ], to: directory.path("video.npz"), compressed: true)
        try NPYWriter.write(NPYArray(shape: [labels.count], integers: labels), to: directory.path("labels.npy"))
        try directory.write("train.txt", "0 1 2\n")
        try directory.write("val.txt", "3,4")
        try NPYWriter.write(NPYArray(shape: [1], integers: [5]), to: directory.path("test.npy"))
        return try directory.write("data.json", manifest ?? """
        {
          "name": "toy",
          "modalities": [
            {"name": "audio", "file": "audio.npy", "kind": "vector"},
            {"name": "video", "file": "video.npz", "kind": "feature-levels",
             "levels": [{"dataset": "level0"}, {"dataset": "level1", "shape": [3, 4]}]}
          ],
          "labels": {"file": "labels.npy", "kind": "multi-class", "format": "integer", "names": ["x", "y", "z"]},
          "split": {"train": "train.txt", "validation": "val.txt", "test": "test.npy"}
        }
        """)
    }

    @Test func manifestWithNPYAndNPZLoads() throws {
        let directory = try TemporaryDirectory()
        let data = try DatasetLoader.load(path: try Self.writeExample(directory))
        #expect(data.name == "toy")
        #expect(data.modalities[0].sampleShape == [4])
        #expect(data.modalities[1].kind == .featureLevels)
        #expect(data.modalities[1].sampleShapes == [[2, 3], [3, 4]])
        #expect(data.split == DatasetSplit(train: [0, 1, 2], validation: [3, 4], test: [5]))
        guard case .multiClass(let classes, let names) = data.labels else { return }
        #expect(classes == [0, 1, 2, 0, 1, 2] && names == ["x", "y", "z"])
    }

    @Test func namesLabelsAndDefaultSplit() throws {
        let directory = try TemporaryDirectory()
        try directory.write("f.csv", "a,b\n1,2\n3,4\n5,6\n7,8\n")
        try directory.write("g.csv", "1\n2\n3\n4\n")
        try directory.write("labels.txt", "Drama|Comedy\nComedy\nDrama\nHorror\n")
        let path = try directory.write("m.json", """
        {"modalities": [{"name": "f", "file": "f.csv", "kind": "vector"}, {"name": "g", "file": "g.csv", "kind": "vector"}],
         "labels": {"file": "labels.txt", "kind": "multi-label", "format": "names"}, "seed": 3}
        """)
        let data = try DatasetLoader.load(path: path)
        #expect(data.name == "m")
        #expect(data.split.train.count + data.split.validation.count + data.split.test.count == 4)
        guard case .multiLabel(let matrix, let names) = data.labels else { return }
        #expect(names == ["Comedy", "Drama", "Horror"])
        #expect(matrix.values == [1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1])
    }

    @Test func unknownKeyIsNamedWithTheAllowedOnes() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("m.json", """
        {"modalities": [{"name": "a", "file": "a.npy", "kind": "vector", "shpe": [2]}], "labels": {"file": "l.npy", "kind": "multi-class", "format": "integer"}}
        """)
        #expect { _ = try DatasetLoader.load(path: path) } throws: { message($0, mentions: path, "'modalities[0].shpe'", "allowed keys", "shape") }
    }

    @Test func wrongTypeIsNamed() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("m.json", """
        {"modalities": [{"name": "a", "file": "a.npy", "kind": "vector", "shape": "4"}], "labels": {"file": "l.npy", "kind": "multi-class", "format": "integer"}}
        """)
        #expect { _ = try DatasetLoader.load(path: path) } throws: { message($0, mentions: path, "modalities[0].shape", "wrong type") }
    }

    @Test func rowCountsThatDifferAreReported() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.writeExample(directory, audioRows: 5)
        #expect { _ = try DatasetLoader.load(path: path) } throws: { message($0, mentions: "'audio'", "5 rows", "[5, 4]", "6") }
    }

    @Test func labelOutOfRangeNamesTheRow() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.writeExample(directory, labels: [0, 1, 2, 0, 3, 2])
        #expect { _ = try DatasetLoader.load(path: path) } throws: { message($0, mentions: "labels.npy", "label 3", "row 4", "0..<3") }
    }

    @Test func classWithoutSamplesIsReported() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.writeExample(directory, labels: [0, 1, 1, 0, 1, 0])
        #expect { _ = try DatasetLoader.load(path: path) } throws: { message($0, mentions: "labels.npy", "class 2", "'z'", "no sample") }
    }

    @Test func duplicateClassNamesAreRefused() throws {
        let directory = try TemporaryDirectory()
        try directory.write("f.csv", "1,2\n3,4\n5,6\n")
        try directory.write("labels.txt", "walk\nrun\nwalk\n")
        let path = try directory.write("m.json", """
        {"modalities": [{"name": "f", "file": "f.csv", "kind": "vector"}],
         "labels": {"file": "labels.txt", "kind": "multi-class", "format": "names", "names": ["walk", "run", "walk"]}}
        """)
        #expect { _ = try DatasetLoader.load(path: path) } throws: { message($0, mentions: path, "labels.names", "'walk' twice") }
    }

    /// A two-view manifest over `f.csv` (three rows) and the labels file `labels.txt` in `format` names.
    static func writeNamesManifest(_ directory: TemporaryDirectory, kind: String = "multi-class") throws -> String {
        try directory.write("f.csv", "1,2\n3,4\n5,6\n")
        return try directory.write("m.json", """
        {"modalities": [{"name": "f", "file": "f.csv", "kind": "vector"}],
         "labels": {"file": "labels.txt", "kind": "\(kind)", "format": "names"}}
        """)
    }

    @Test func namesLabelFileWithAByteOrderMarkAndAnyLineEnds() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.writeNamesManifest(directory)
        for text in ["walk\r\nrun\r\nwalk\r\n", "walk\rrun\rwalk\r", "walk\nrun\nwalk"] {
            try directory.write("labels.txt", bytes: TextFile.byteOrderMark + Array(text.utf8))
            let data = try DatasetLoader.load(path: path)
            guard case .multiClass(let classes, let names) = data.labels else { Issue.record("expected classes"); return }
            #expect(names == ["run", "walk"] && classes == [1, 0, 1], "\(text.debugDescription)")
        }
    }

    @Test func namesLabelFileWithAHeaderAndQuotedNames() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.writeNamesManifest(directory)
        try directory.write("labels.txt", "label\n\"walk\"\n\"run, fast\"\nwalk\n")
        guard case .multiClass(let classes, let names) = try DatasetLoader.load(path: path).labels else { Issue.record("expected classes"); return }
        #expect(names == ["run, fast", "walk"] && classes == [1, 0, 1])
        let multi = try Self.writeNamesManifest(directory, kind: "multi-label")
        try directory.write("labels.txt", "genres\n\"Drama|Comedy\"\nComedy\nDrama\n")
        guard case .multiLabel(let matrix, let labelNames) = try DatasetLoader.load(path: multi).labels else { Issue.record("expected labels"); return }
        #expect(labelNames == ["Comedy", "Drama"] && matrix.values == [1, 1, 1, 0, 0, 1])
    }

    @Test func aFirstLineThatIsALabelIsNotAHeader() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.writeNamesManifest(directory)
        let labels = try directory.write("labels.txt", "walk\nwalk\nrun\nwalk\n")
        // Four labels for three samples: the extra line is a label, so the count mismatch is reported.
        #expect { _ = try DatasetLoader.load(path: path) } throws: { message($0, mentions: "3 rows", labels, "have 4") }
        try directory.write("labels.txt", "label\nwalk\nwalk\nrun\nwalk\n")
        #expect { _ = try DatasetLoader.load(path: path) } throws: { message($0, mentions: "3 rows", labels, "have 5") }
    }

    @Test func aHeaderNotInTheGivenNamesIsSkippedAndLinesKeepTheirNumbers() throws {
        let directory = try TemporaryDirectory()
        try directory.write("f.csv", "1,2\n3,4\n5,6\n")
        let path = try directory.write("m.json", """
        {"modalities": [{"name": "f", "file": "f.csv", "kind": "vector"}],
         "labels": {"file": "labels.txt", "kind": "multi-class", "format": "names", "names": ["walk", "run"]}}
        """)
        try directory.write("labels.txt", "activity\nrun\nwalk\nrun\n")
        guard case .multiClass(let classes, _) = try DatasetLoader.load(path: path).labels else { Issue.record("expected classes"); return }
        #expect(classes == [1, 0, 1])
        let labels = try directory.write("labels.txt", "activity\nrun\nwalk\nsit\n")
        #expect { _ = try DatasetLoader.load(path: path) } throws: { message($0, mentions: labels, "line 4: unknown class 'sit'") }
    }

    @Test func semicolonSeparatedLabelFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.writeNamesManifest(directory)
        let labels = try directory.write("labels.txt", "id;label\n0;walk\n1;run\n2;walk\n")
        #expect { _ = try DatasetLoader.load(path: path) } throws: { message($0, mentions: labels, "separated by semicolons (';'), not commas") }
    }

    /// A manifest over nine feature rows and integer labels in labels.npy, without class names.
    static func writeIntegerManifest(_ directory: TemporaryDirectory, labels: [Int]) throws -> String {
        try NPYWriter.write(NPYArray(shape: [9, 2], floats: (0..<18).map(Float.init)), to: directory.path("f.npy"))
        try NPYWriter.write(NPYArray(shape: [labels.count], integers: labels), to: directory.path("labels.npy"))
        return try directory.write("m.json", """
        {"modalities": [{"name": "f", "file": "f.npy", "kind": "vector"}],
         "labels": {"file": "labels.npy", "kind": "multi-class", "format": "integer"}}
        """)
    }

    @Test func aStrayIntegerLabelNamesItsRowAndTheValidRange() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.writeIntegerManifest(directory, labels: [0, 1, 2, 0, 1, 7, 2, 0, 1])
        #expect { _ = try DatasetLoader.load(path: path) } throws: {
            "\($0)" == "\(directory.path("labels.npy")): label 7 at row 5 is out of range: integer labels are the classes 0..<K, each with a sample, and class 3 has no sample, so the valid range here is 0...2; fix row 5, or name the classes in the manifest's labels.names"
        }
        let fromOne = try Self.writeIntegerManifest(directory, labels: [1, 2, 3, 1, 2, 3, 1, 2, 3])
        #expect { _ = try DatasetLoader.load(path: fromOne) } throws: { message($0, mentions: "labels.npy", "label 1 at row 0", "no row has label 0") }
    }

    @Test func anEmptyLabelsFileSaysSo() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.writeIntegerManifest(directory, labels: [])
        #expect { _ = try DatasetLoader.load(path: path) } throws: {
            "\($0)" == "\(directory.path("labels.npy")): the file holds no label; it needs 9 labels, one for each row of the features"
        }
        let names = try Self.writeNamesManifest(directory)
        let labels = try directory.write("labels.txt", "\n")
        #expect { _ = try DatasetLoader.load(path: names) } throws: { message($0, mentions: labels, "holds no label", "needs 3 labels, one for each row") }
    }

    @Test func nonFiniteFeatureNamesFileAndRow() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.writeExample(directory)
        var values = (0..<24).map(Float.init)
        values[9] = .infinity
        try NPYWriter.write(NPYArray(shape: [6, 4], floats: values), to: directory.path("audio.npy"))
        #expect { _ = try DatasetLoader.load(path: path) } throws: { message($0, mentions: "audio.npy", "row 2", "feature 1") }
    }

    @Test func emptyDatasetIsReported() throws {
        let directory = try TemporaryDirectory()
        try NPYWriter.write(NPYArray(shape: [0, 4], floats: []), to: directory.path("a.npy"))
        let path = try directory.write("m.json", """
        {"modalities": [{"name": "a", "file": "a.npy", "kind": "vector"}], "labels": {"file": "l.npy", "kind": "multi-class", "format": "integer"}}
        """)
        #expect { _ = try DatasetLoader.load(path: path) } throws: { message($0, mentions: "a.npy", "empty", "[0, 4]") }
    }

    @Test func missingFeatureFileIsNamed() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("m.json", """
        {"modalities": [{"name": "a", "file": "nowhere.npy", "kind": "vector"}], "labels": {"file": "l.npy", "kind": "multi-class", "format": "integer"}}
        """)
        #expect { _ = try DatasetLoader.load(path: path) } throws: { message($0, mentions: "nowhere.npy", "not found") }
    }

    @Test func splitIndexOutOfRangeIsReported() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.writeExample(directory)
        try directory.write("val.txt", "3 9")
        #expect { _ = try DatasetLoader.load(path: path) } throws: { message($0, mentions: "'validation'", "index 9") }
    }

    @Test func unknownDatasetNameIsReported() {
        #expect { _ = try DatasetLoader.load(path: "mnist") } throws: { message($0, mentions: "mnist", "uci-mfeat", "satellite", "smartwatch-imu") }
    }

    @Test func encoderKeyIsKeptOnTheModalityAndMustNotBeEmpty() throws {
        let directory = try TemporaryDirectory()
        func manifest(_ encoder: String) -> String {
            """
            {"modalities": [{"name": "audio", "file": "audio.npy", "kind": "sequence", "shape": [2, 2], "encoder": "\(encoder)"},
                            {"name": "video", "file": "video.npz", "dataset": "level0", "kind": "sequence"}],
             "labels": {"file": "labels.npy", "kind": "multi-class", "format": "integer"},
             "split": {"train": "train.txt", "validation": "val.txt", "test": "test.npy"}}
            """
        }
        let data = try DatasetLoader.load(path: try Self.writeExample(directory, manifest: manifest("precomputed")))
        #expect(data.modalities.map(\.encoder) == ["precomputed", nil])
        #expect(try data.selecting(modalities: ["video", "audio"]).modalities.map(\.encoder) == [nil, "precomputed"])
        let empty = try Self.writeExample(directory, manifest: manifest(""))
        #expect { _ = try DatasetLoader.load(path: empty) } throws: { message($0, mentions: "modalities[0].encoder", "registered encoder") }
    }
}
