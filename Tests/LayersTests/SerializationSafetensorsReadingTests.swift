import Foundation
import Testing
import Tensors

@testable import Layers

/// Reading must round-trip our files and refuse every malformed one with a message naming the file.
@Suite struct SerializationSafetensorsReadingTests {
    let file = URL(fileURLWithPath: "/checkpoints/broken.safetensors")

    @Test func roundTripThroughAFileKeepsValuesShapesAndMetadata() throws {
        let directory = try makeSerializationTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        let weight = Tensor(shape: [2, 3], values: [0.5, -1, 3.25, .greatestFiniteMagnitude, -0.0, 1e-30])
        let scalar = Tensor(shape: [], values: [42])
        let empty = Tensor(shape: [0, 4], values: [])
        try Safetensors.write(
            [("cells.0.weight", weight), ("step", scalar), ("empty", empty)],
            metadata: ["format": "pt", "note": "line\nbreak \"quoted\""], to: url)

        let (tensors, metadata) = try Safetensors.read(from: url)
        #expect(tensors["cells.0.weight"]?.shape == [2, 3])
        #expect(tensors["cells.0.weight"]?.values == weight.values)
        #expect(tensors["step"]?.shape == [])
        #expect(tensors["step"]?.values == [42])
        #expect(tensors["empty"]?.shape == [0, 4])
        #expect(metadata == ["format": "pt", "note": "line\nbreak \"quoted\""])
    }

    @Test func halfPrecisionDoubleAndBfloat16AreConvertedToFloat() throws {
        // F16 1.5 = 0x3E00, BF16 -2 = 0xC000, F64 0.25 = 0x3FD0000000000000.
        let header =
            #"{"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[2,4]},"#
            + #""d":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}"#
        let payload: [UInt8] = [0x00, 0x3E, 0x00, 0xC0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xD0, 0x3F]
        let (tensors, _) = try Safetensors.decode(handMadeSafetensors(header: header, payload: payload), file: file)
        #expect(tensors["h"]?.values == [1.5])
        #expect(tensors["b"]?.values == [-2])
        #expect(tensors["d"]?.values == [0.25])
    }

    @Test func truncatedHeaderIsRefused() {
        let error = #expect(throws: SafetensorsError.self) {
            try Safetensors.decode(Data([1, 2, 3]), file: file)
        }
        #expect(error?.problem == .truncatedHeader(fileSize: 3))
        #expect(error?.description == "/checkpoints/broken.safetensors: truncated header: the file has 3 bytes but the header length alone needs 8")
    }

    @Test func headerLengthLargerThanTheFileIsRefused() {
        var data = handMadeSafetensors(header: "{}")
        data[0] = 200
        let error = #expect(throws: SafetensorsError.self) { try Safetensors.decode(data, file: file) }
        #expect(error?.problem == .headerLengthTooLarge(declared: 200, available: 2))
        #expect(error?.description.contains("broken.safetensors: header length 200 is larger than the 2 bytes") == true)
    }

    @Test func badJSONIsRefused() {
        let notJSON = #expect(throws: SafetensorsError.self) {
            try Safetensors.decode(handMadeSafetensors(header: #"{"w": [1, }"#), file: file)
        }
        #expect(notJSON?.description.contains("broken.safetensors: bad JSON header") == true)
        let notObject = #expect(throws: SafetensorsError.self) {
            try Safetensors.decode(handMadeSafetensors(header: "[1, 2]"), file: file)
        }
        #expect(notObject?.problem == .invalidHeader("expected a JSON object starting with '{'"))
        let badEntry = #expect(throws: SafetensorsError.self) {
            try Safetensors.decode(handMadeSafetensors(header: #"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0]), file: file)
        }
        #expect(badEntry?.problem == .invalidEntry(tensor: "w", reason: "'shape' must be an array of non-negative integers"))
    }

    @Test func unknownAndUnsupportedDtypesAreRefused() {
        let unknown = #expect(throws: SafetensorsError.self) {
            try Safetensors.decode(
                handMadeSafetensors(header: #"{"w":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0]),
                file: file)
        }
        #expect(unknown?.description == "/checkpoints/broken.safetensors: tensor 'w': unknown dtype 'F31'")
        let unsupported = #expect(throws: SafetensorsError.self) {
            try Safetensors.decode(
                handMadeSafetensors(header: #"{"w":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0]),
                file: file)
        }
        #expect(unsupported?.problem == .unsupportedDtype(tensor: "w", dtype: "I32"))
    }

    @Test func offsetsOutsideTheDataSectionAreRefused() {
        let error = #expect(throws: SafetensorsError.self) {
            try Safetensors.decode(
                handMadeSafetensors(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, payload: [0, 0, 0, 0]),
                file: file)
        }
        #expect(error?.problem == .offsetsOutOfRange(tensor: "w", begin: 0, end: 8, dataSize: 4))
        #expect(error?.description.contains("data_offsets [0, 8] out of range for a data section of 4 bytes") == true)
        let reversed = #expect(throws: SafetensorsError.self) {
            try Safetensors.decode(
                handMadeSafetensors(header: #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#, payload: [0, 0, 0, 0]),
                file: file)
        }
        #expect(reversed?.problem == .offsetsOutOfRange(tensor: "w", begin: 4, end: 0, dataSize: 4))
    }

    @Test func overlappingTensorsAreRefused() {
        let header =
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let error = #expect(throws: SafetensorsError.self) {
            try Safetensors.decode(handMadeSafetensors(header: header, payload: Array(repeating: 0, count: 12)), file: file)
        }
        #expect(error?.problem == .overlappingTensors("a", "b"))
        #expect(error?.description == "/checkpoints/broken.safetensors: tensors 'a' and 'b' have overlapping data_offsets")
    }

    @Test func shapeThatDoesNotMatchTheByteRangeIsRefused() {
        let error = #expect(throws: SafetensorsError.self) {
            try Safetensors.decode(
                handMadeSafetensors(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, payload: Array(repeating: 0, count: 8)),
                file: file)
        }
        #expect(error?.problem == .sizeMismatch(tensor: "w", shape: [3], dtype: "F32", expectedBytes: 12, actualBytes: 8))
        #expect(error?.description.contains("shape [3] of F32 needs 12 bytes but data_offsets span 8") == true)
    }

    @Test func readingAMissingFileNamesIt() {
        let missing = URL(fileURLWithPath: "/nonexistent/fusionnas/model.safetensors")
        let error = #expect(throws: (any Error).self) { try Safetensors.read(from: missing) }
        #expect(error.map { "\($0)" }?.contains("model.safetensors") == true)
    }
}
