/// A minimal protocol-buffers encoder: just what ONNX's messages need (varints, 64-bit integers,
/// 32-bit floats, length-delimited bytes, strings and nested messages, repeated fields).
///
/// Fields are written in the order the caller gives them; protobuf readers accept any order.
public struct ProtobufWriter: Sendable {
    /// The wire types of the protobuf encoding.
    public enum WireType: UInt8, Sendable {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// A base-128 varint, least significant group first.
    public mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A field's key: its number and wire type.
    public mutating func writeKey(_ field: Int, _ wireType: WireType) {
        writeVarint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    /// An `int64`/`int32`/enum field (negative values as ten-byte two's complement, as protobuf does).
    public mutating func writeInt(_ field: Int, _ value: Int64) {
        writeKey(field, .varint)
        writeVarint(UInt64(bitPattern: value))
    }

    /// A `float` field (fixed 32 bits, little-endian).
    public mutating func writeFloat(_ field: Int, _ value: Float) {
        writeKey(field, .fixed32)
        appendLittleEndian(value.bitPattern)
    }

    /// A `bytes` field.
    public mutating func writeBytes(_ field: Int, _ value: [UInt8]) {
        writeKey(field, .lengthDelimited)
        writeVarint(UInt64(value.count))
        bytes += value
    }

    /// A `string` field (UTF-8).
    public mutating func writeString(_ field: Int, _ value: String) { writeBytes(field, Array(value.utf8)) }

    /// An embedded message field, encoded by `body`.
    public mutating func writeMessage(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        body(&inner)
        writeBytes(field, inner.bytes)
    }

    /// A `repeated int64` field, one key per element (onnx.proto is proto2, whose repeated scalars
    /// are not packed; readers accept either form).
    public mutating func writeRepeatedInts(_ field: Int, _ values: [Int64]) {
        for v in values { writeInt(field, v) }
    }

    /// A `repeated float` field, one key per element.
    public mutating func writeRepeatedFloats(_ field: Int, _ values: [Float]) {
        for v in values { writeFloat(field, v) }
    }

    mutating func appendLittleEndian(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}
