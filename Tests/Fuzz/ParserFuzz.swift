// libFuzzer entry point for the byte parsers and loaders of MultimodalData: NPY, NPZ, CSV, the
// dataset manifest (decoded, then loaded with the files it names), label files in every format
// (`names` multi-class and multi-label, `integer`, `one-hot`) and split index files.
// Built and run by Tests/Fuzz/run-parser-fuzz.sh; not part of the SwiftPM package.
// The first input byte chooses the target so that one corpus exercises all of them.

import Foundation

/// A directory with small valid data files for the manifest and label targets; the fuzzed bytes
/// are written next to them for each input (the loaders read files by path).
let fuzzDirectory: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("fusionnas-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    let files = [
        "f.csv": "1,2\n3,4\n5,6\n7,8\n9,0\n2,4\n",
        "g.csv": "1\n2\n3\n4\n5\n6\n",
        "labels.txt": "a\nb\na\nb\na\nb\n",
        "onehot.csv": "1,0\n0,1\n1,0\n0,1\n1,0\n0,1\n",
        "train.txt": "0 1 2 3", "validation.txt": "4", "test.txt": "5",
    ]
    for (name, text) in files { try? text.write(to: url.appendingPathComponent(name), atomically: false, encoding: .utf8) }
    return url
}()

func fuzzFile(_ name: String, _ bytes: [UInt8]) -> String {
    let url = fuzzDirectory.appendingPathComponent(name)
    try? Data(bytes).write(to: url)
    return url.path
}

@_cdecl("LLVMFuzzerTestOneInput")
public func parserFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 6 {
    case 0:
        if let array = try? NPYReader.parse(bytes, source: "fuzz.npy") {
            _ = array.floatTensor()
            _ = try? array.integers(source: "fuzz.npy")
        }
    case 1:
        if let table = try? CSVReader.parse(bytes, source: "fuzz.csv") { _ = try? table.multiClassLabels() }
        _ = try? CSVReader.parse(bytes, source: "fuzz.csv", header: .absent, labelColumn: .none)
    case 2:
        if let arrays = try? NPZReader.parse(bytes, source: "fuzz.npz") {
            for array in arrays.values { _ = array.floatTensor() }
        }
    case 3:
        // The manifest: decoded alone, then loaded with the valid files beside it.
        _ = try? DatasetManifest.decode(Data(bytes), source: "fuzz.json")
        if let dataset = try? DatasetLoader.loadManifest(path: fuzzFile("manifest.json", bytes)) {
            try? dataset.labels.validate(source: "fuzz.json")
        }
    case 4:
        // A label file in each text format, with and without names, for 6 samples.
        let file = fuzzFile("fuzz-labels.csv", bytes)
        for (kind, format, names) in [
            ("multi-class", "names", nil), ("multi-class", "names", ["a", "b"]), ("multi-label", "names", nil),
            ("multi-label", "names", ["a", "b"]), ("multi-class", "integer", nil), ("multi-class", "integer", ["x", "y"]),
            ("multi-class", "one-hot", nil), ("multi-label", "one-hot", nil),
        ] as [(String, String, [String]?)] {
            let entry = DatasetManifest.LabelsEntry(file: file, dataset: nil, kind: kind, format: format, names: names)
            if let labels = try? DatasetLoader.loadLabels(entry, file: file, manifest: "fuzz.json", expectedRows: 6) {
                try? labels.validate(source: file)
            }
        }
    default:
        // Split indices as text, and integer labels from an .npy file.
        _ = try? DatasetLoader.loadIndices(fuzzFile("fuzz-indices.txt", bytes))
        if let array = try? NPYReader.parse(bytes, source: "fuzz.npy"), let classes = try? array.integers(source: "fuzz.npy") {
            if let labels = try? IntegerClassLabels.labels(classes, source: "fuzz.npy") { try? labels.validate(source: "fuzz.npy") }
        }
    }
    return 0
}
