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
