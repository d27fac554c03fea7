import Foundation
import Testing
import Tensors
@testable import MultimodalData

@Suite struct NPYFormatTests {
    /// An `.npy` header of any version around `payload`, to build files NumPy would write.
    static func npy(_ header: String, payload: [UInt8], version: UInt8 = 1) -> [UInt8] {
        let text = Array(header.utf8)
        let length = text.count
        let preamble: [UInt8] = version == 1
            ? [version, 0, UInt8(length & 0xff), UInt8(length >> 8)]
            : [version, 0, UInt8(length & 0xff), UInt8((length >> 8) & 0xff), 0, 0]
        return NPYReader.magic + preamble + text + payload
    }

    @Test func float32RoundTripsThroughWriterAndReader() throws {
        let array = NPYArray(shape: [2, 3], floats: [1, 2, 3, 4.5, -5, 6])
        let bytes = NPYWriter.encode(array)
        #expect((bytes.count - array.payload.count) % 64 == 0)
        let read = try NPYReader.parse(bytes, source: "t.npy")
        #expect(read == array)
        #expect(read.floatTensor().values == [1, 2, 3, 4.5, -5, 6])
    }

    @Test func everySupportedDtypeConvertsToFloat() throws {
        let cases: [(String, [UInt8], [Float])] = [
            ("<f8", [Double(1.5), -2].withUnsafeBytes { Array($0) }, [1.5, -2]),
            ("<i1", [0xff, 3], [-1, 3]),
            ("|u1", [200, 3], [200, 3]),
            ("|b1", [1, 0], [1, 0]),
            ("<i2", [Int16(-300), 7].withUnsafeBytes { Array($0) }, [-300, 7]),
            ("<u2", [UInt16(60000), 7].withUnsafeBytes { Array($0) }, [60000, 7]),
            ("<i4", [Int32(-70000), 7].withUnsafeBytes { Array($0) }, [-70000, 7]),
            ("<u4", [UInt32(70000), 7].withUnsafeBytes { Array($0) }, [70000, 7]),
            ("<i8", [Int64(-5), 7].withUnsafeBytes { Array($0) }, [-5, 7]),
            ("<u8", [UInt64(5), 7].withUnsafeBytes { Array($0) }, [5, 7]),
        ]
        for (descr, payload, expected) in cases {
            let bytes = Self.npy("{'descr': '\(descr)', 'fortran_order': False, 'shape': (2,), }\n", payload: payload)
            #expect(try NPYReader.parse(bytes, source: descr).floatTensor().values == expected, "dtype \(descr)")
        }
    }

    @Test func versionTwoAndThreeHeadersAreRead() throws {
        let payload = [Int32(4), 5, 6].withUnsafeBytes { Array($0) }
        for version: UInt8 in [2, 3] {
            let bytes = Self.npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }\n", payload: payload, version: version)
            #expect(try NPYReader.parse(bytes, source: "v").integers(source: "v") == [4, 5, 6])
        }
    }

    @Test func missingFileIsNamed() {
        #expect { _ = try NPYReader.read(path: "/nonexistent/features.npy") } throws: {
            message($0, mentions: "/nonexistent/features.npy", "not found")
        }
    }

    @Test func wrongMagicIsReported() {
        #expect { _ = try NPYReader.parse(Array("PK\u{3}\u{4}not numpy".utf8), source: "x.npy") } throws: {
            message($0, mentions: "x.npy", "magic")
        }
    }

    @Test func truncatedDataNamesShapeAndByteCounts() {
        let bytes = Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), }\n", payload: [UInt8](repeating: 0, count: 40))
        #expect { _ = try NPYReader.parse(bytes, source: "cut.npy") } throws: {
            message($0, mentions: "cut.npy", "[4, 3]", "48 bytes", "40")
        }
    }

    @Test func truncatedHeaderIsReported() {
        let bytes = Array(Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), }\n", payload: []).prefix(30))
        #expect { _ = try NPYReader.parse(bytes, source: "h.npy") } throws: { message($0, mentions: "h.npy", "truncated .npy header") }
    }

    @Test func fortranOrderIsRejectedNamingTheFile() {
        let bytes = Self.npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }\n", payload: [0, 0, 0, 0])
        #expect { _ = try NPYReader.parse(bytes, source: "f.npy") } throws: { message($0, mentions: "f.npy", "fortran_order", "C-order") }
    }

    @Test func bigEndianIsRejectedNamingTheDtype() {
        let bytes = Self.npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }\n", payload: [0, 0, 0, 0])
        #expect { _ = try NPYReader.parse(bytes, source: "b.npy") } throws: { message($0, mentions: "b.npy", "'>f4'", "big-endian") }
    }

    @Test func unsupportedDtypeListsTheSupportedOnes() {
        let bytes = Self.npy("{'descr': '<U10', 'fortran_order': False, 'shape': (1,), }\n", payload: [UInt8](repeating: 0, count: 40))
        #expect { _ = try NPYReader.parse(bytes, source: "s.npy") } throws: { message($0, mentions: "s.npy", "'<U10'", "<f4") }
    }

    @Test func nonIntegerValuesAreNotIndices() {
        let array = NPYArray(shape: [2], floats: [1, 2.5])
        #expect { _ = try array.integers(source: "idx.npy") } throws: { message($0, mentions: "idx.npy", "element 1", "not an integer") }
    }
}
