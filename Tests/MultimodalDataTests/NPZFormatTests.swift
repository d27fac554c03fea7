import Foundation
import Testing
import Tensors
@testable import MultimodalData

@Suite struct NPZFormatTests {
    static let arrays: [(name: String, array: NPYArray)] = [
        ("x", NPYArray(shape: [3, 2], floats: [1, 2, 3, 4, 5, 6])),
        ("y", NPYArray(shape: [3], integers: [0, 1, 1])),
    ]

    @Test(arguments: [false, true])
    func archivesRoundTrip(compressed: Bool) throws {
        let bytes = try NPZWriter.encode(Self.arrays, compressed: compressed)
        let read = try NPZReader.parse(bytes, source: "a.npz")
        #expect(read["x"] == Self.arrays[0].array)
        #expect(read["y"] == Self.arrays[1].array)
    }

    @Test func compressedMembersAreActuallyDeflated() throws {
        let zeros = NPYArray(shape: [1000], floats: [Float](repeating: 0, count: 1000))
        let stored = try NPZWriter.encode([("z", zeros)])
        let compressed = try NPZWriter.encode([("z", zeros)], compressed: true)
        #expect(compressed.count < stored.count / 10)
        #expect(try NPZReader.parse(compressed, source: "z.npz")["z"] == zeros)
    }

    @Test func missingMemberListsTheMembers() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("a.npz")
        try NPZWriter.write(Self.arrays, to: path)
        #expect { _ = try NPZReader.read(path: path, array: "labels") } throws: { message($0, mentions: path, "'labels'", "x, y") }
    }

    @Test func truncatedArchiveIsReported() throws {
        let bytes = try NPZWriter.encode(Self.arrays, compressed: true)
        #expect { _ = try NPZReader.parse(Array(bytes.prefix(bytes.count - 30)), source: "cut.npz") } throws: {
            message($0, mentions: "cut.npz", "truncated")
        }
    }

    @Test func corruptedCompressedDataFailsItsCheck() throws {
        var bytes = try NPZWriter.encode([("x", NPYArray(shape: [64], floats: (0..<64).map(Float.init)))], compressed: true)
        bytes[60] ^= 0xff
        #expect(throws: DataError.self) { try NPZReader.parse(bytes, source: "bad.npz") }
    }

    @Test func wrongFormatIsNotAZip() {
        #expect { _ = try NPZReader.parse(NPYWriter.encode(Self.arrays[0].array), source: "n.npz") } throws: {
            message($0, mentions: "n.npz", "zip")
        }
    }
}

/// Header values that once overflowed Int arithmetic and trapped.
@Suite struct NPZOverflowTests {
    /// A ZIP64 extra field whose local-header offset is 2^64 - 1 (clamped to Int.max): refused as a
    /// bad header rather than trapping on `offset + 30`.
    @Test func aZIP64OffsetOfTwoToTheSixtyFourIsRefused() throws {
        var bytes = try NPZWriter.encode([NPZFormatTests.arrays[0]])
        let signature: [UInt8] = [0x50, 0x4b, 0x01, 0x02]
        let entry = try #require((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == signature })
        let nameLength = Int(bytes[entry + 28]) | Int(bytes[entry + 29]) << 8
        let extraLength = Int(bytes[entry + 30]) | Int(bytes[entry + 31]) << 8
        bytes.replaceSubrange((entry + 42)..<(entry + 46), with: [0xff, 0xff, 0xff, 0xff])
        bytes.insert(contentsOf: [0x01, 0x00, 0x08, 0x00] + [UInt8](repeating: 0xff, count: 8), at: entry + 46 + nameLength)
        bytes[entry + 30] = UInt8((extraLength + 12) & 0xff)
        bytes[entry + 31] = UInt8((extraLength + 12) >> 8)
        #expect { _ = try NPZReader.parse(bytes, source: "z64.npz") } throws: {
            message($0, mentions: "z64.npz", "bad local header at offset \(Int.max)")
        }
    }
}
