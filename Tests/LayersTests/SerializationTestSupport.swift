import Foundation

/// A fresh empty directory under the system temporary directory, unique per call.
func makeSerializationTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("fusionnas-serialization-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Builds a safetensors file by hand: the given header text (unpadded) followed by `payload`.
func handMadeSafetensors(header: String, payload: [UInt8] = []) -> Data {
    var data = Data()
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
    data.append(contentsOf: Array(header.utf8))
    data.append(contentsOf: payload)
    return data
}
