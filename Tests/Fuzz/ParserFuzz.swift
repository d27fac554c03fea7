// libFuzzer entry point for the byte parsers of MultimodalData (NPY, NPZ, CSV).
// Built and run by Tests/Fuzz/run-parser-fuzz.sh; not part of the SwiftPM package.
// The first input byte chooses the parser so that one corpus exercises all three.

@_cdecl("LLVMFuzzerTestOneInput")
public func parserFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 3 {
    case 0:
        if let array = try? NPYReader.parse(bytes, source: "fuzz.npy") {
            _ = array.floatTensor()
            _ = try? array.integers(source: "fuzz.npy")
        }
    case 1:
        if let table = try? CSVReader.parse(bytes, source: "fuzz.csv") { _ = try? table.multiClassLabels() }
        _ = try? CSVReader.parse(bytes, source: "fuzz.csv", header: .absent, labelColumn: .none)
    default:
        if let arrays = try? NPZReader.parse(bytes, source: "fuzz.npz") {
            for array in arrays.values { _ = array.floatTensor() }
        }
    }
    return 0
}
