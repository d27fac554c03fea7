import Foundation
import Testing
import Tensors

@testable import Layers

/// The bytes we write must be exactly the published safetensors layout, or other tools cannot read them.
@Suite struct SerializationSafetensorsLayoutTests {
    @Test func tinyFileMatchesTheSpecificationByteForByte() {
        let tensor = Tensor(shape: [2], values: [1.0, -2.5])
        let data = Safetensors.encode([("w", tensor)], metadata: ["epoch": "3"])
        let bytes = [UInt8](data)

        let json = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"epoch":"3"}}"#
        let paddedLength = (json.utf8.count + 7) / 8 * 8
        #expect(paddedLength == 88)
        // Header length: little-endian u64.
        #expect(Array(bytes[0..<8]) == [88, 0, 0, 0, 0, 0, 0, 0])
        // JSON then spaces up to the multiple of 8.
        #expect(Array(bytes[8..<8 + json.utf8.count]) == Array(json.utf8))
        #expect(bytes[8 + json.utf8.count..<8 + paddedLength].allSatisfy { $0 == 0x20 })
        // Little-endian IEEE 754: 1.0 = 0x3F800000, -2.5 = 0xC0200000.
        #expect(Array(bytes[96...]) == [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0])
        #expect(bytes.count == 104)
    }

    @Test func tensorsAreLaidOutInTheOrderGivenWithContiguousOffsets() throws {
        let first = Tensor(shape: [3], values: [1, 2, 3])
        let second = Tensor(shape: [1, 2], values: [4, 5])
        let data = Safetensors.encode([("b", first), ("a", second)])
        let parsed = try MinimalSafetensorsParser(data)
        #expect(parsed.entries["b"]?.offsets == [0, 12])
        #expect(parsed.entries["a"]?.offsets == [12, 20])
        #expect(parsed.headerText.hasPrefix(#"{"b":"#))
        #expect(parsed.headerLength % 8 == 0)
        #expect(parsed.floats(of: "b") == [1, 2, 3])
        #expect(parsed.floats(of: "a") == [4, 5])
        #expect(parsed.entries["a"]?.shape == [1, 2])
    }

    @Test func emptyMetadataIsOmittedAndNamesAreEscaped() throws {
        let data = Safetensors.encode([("quote\"d\\name", Tensor(shape: [], values: [7]))])
        let parsed = try MinimalSafetensorsParser(data)
        #expect(!parsed.headerText.contains("__metadata__"))
        #expect(parsed.entries["quote\"d\\name"]?.shape == [])
        #expect(parsed.floats(of: "quote\"d\\name") == [7])
    }
}

/// A NumPy-style reader written independently of ``Safetensors``: length, JSON, then `frombuffer`.
struct MinimalSafetensorsParser {
    struct Entry {
        var dtype: String
        var shape: [Int]
        var offsets: [Int]
    }

    let headerLength: Int
    let headerText: String
    let entries: [String: Entry]
    let dataSection: [UInt8]

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        var length = 0
        for i in (0..<8).reversed() { length = length << 8 | Int(bytes[i]) }
        headerLength = length
        headerText = String(decoding: bytes[8..<8 + length], as: UTF8.self)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(bytes[8..<8 + length])) as? [String: Any])
        var entries: [String: Entry] = [:]
        for (name, value) in object where name != "__metadata__" {
            let entry = try #require(value as? [String: Any])
            entries[name] = Entry(
                dtype: try #require(entry["dtype"] as? String),
                shape: try #require(entry["shape"] as? [Int]),
                offsets: try #require(entry["data_offsets"] as? [Int]))
        }
        self.entries = entries
        dataSection = Array(bytes[(8 + length)...])
    }

    func floats(of name: String) -> [Float] {
        guard let entry = entries[name] else { return [] }
        let raw = dataSection[entry.offsets[0]..<entry.offsets[1]]
        return stride(from: raw.startIndex, to: raw.endIndex, by: 4).map { start in
            let bits = (0..<4).reduce(UInt32(0)) { $0 | UInt32(raw[start + $1]) << (8 * UInt32($1)) }
            return Float(bitPattern: bits)
        }
    }
}
