import Tensors

/// The element types of `.npy` arrays this module reads and writes (little-endian only).
public enum NPYDType: String, Sendable, CaseIterable {
    case float32 = "f4", float64 = "f8"
    case int8 = "i1", int16 = "i2", int32 = "i4", int64 = "i8"
    case uint8 = "u1", uint16 = "u2", uint32 = "u4", uint64 = "u8"
    case bool = "b1"

    /// Bytes per element.
    public var itemSize: Int { Int(rawValue.dropFirst())! }

    /// Whether the values are integers (and so usable as class indices or sample indices).
    public var isInteger: Bool { self != .float32 && self != .float64 }

    /// The `descr` string written to an `.npy` header.
    public var descr: String { (itemSize == 1 ? "|" : "<") + rawValue }
}

/// An n-dimensional array as stored in an `.npy` file: its shape, element type and the raw
/// little-endian bytes in C (row-major) order.
public struct NPYArray: Sendable, Equatable {
    public var shape: [Int]
    public var dtype: NPYDType
    /// `elementCount(shape) * dtype.itemSize` bytes.
    public var payload: [UInt8]

    public init(shape: [Int], dtype: NPYDType, payload: [UInt8]) {
        precondition(elementCount(shape) * dtype.itemSize == payload.count, "NPYArray: payload size does not match shape \(shape)")
        self.shape = shape
        self.dtype = dtype
        self.payload = payload
    }

    /// A float32 array.
    public init(shape: [Int], floats: [Float]) {
        precondition(elementCount(shape) == floats.count, "NPYArray: \(floats.count) values for shape \(shape)")
        self.init(shape: shape, dtype: .float32, payload: floats.withUnsafeBytes { Array($0) })
    }

    /// An int64 array.
    public init(shape: [Int], integers: [Int]) {
        precondition(elementCount(shape) == integers.count, "NPYArray: \(integers.count) values for shape \(shape)")
        self.init(shape: shape, dtype: .int64, payload: integers.map { Int64($0).littleEndian }.withUnsafeBytes { Array($0) })
    }

    /// The number of elements.
    public var count: Int { elementCount(shape) }

    /// Element `i` converted to Double.
    @inline(__always) func element(_ i: Int, _ raw: UnsafeRawBufferPointer) -> Double {
        let o = i * dtype.itemSize
        switch dtype {
        case .float32: return Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self))))
        case .float64: return Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
        case .int8: return Double(Int8(bitPattern: raw[o]))
        case .int16: return Double(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int16.self)))
        case .int32: return Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int32.self)))
        case .int64: return Double(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int64.self)))
        case .uint8, .bool: return Double(raw[o])
        case .uint16: return Double(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt16.self)))
        case .uint32: return Double(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
        case .uint64: return Double(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
        }
    }

    /// The values as a float32 tensor of the same shape (a 0-d array becomes shape `[]`).
    public func floatTensor() -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        payload.withUnsafeBytes { raw in
            if dtype == .float32 {
                if count > 0 { UnsafeMutableRawPointer(out.data).copyMemory(from: raw.baseAddress!, byteCount: payload.count) }
            } else {
                for i in 0..<count { out.data[i] = Float(element(i, raw)) }
            }
        }
        return out
    }

    /// The values as integers; `source` names the file in the error if a value is not a whole number.
    public func integers(source: String) throws -> [Int] {
        try payload.withUnsafeBytes { raw in
            switch dtype {
            case .int64: return (0..<count).map { Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) }
            case .uint64:
                return try (0..<count).map { i in
                    let v = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
                    guard v <= UInt64(Int.max) else { throw DataError(source, "element \(i) (\(v)) does not fit an Int") }
                    return Int(v)
                }
            default:
                return try (0..<count).map { i in
                    let v = element(i, raw)
                    guard v.isFinite, v.rounded() == v, abs(v) < 0x1p62 else {
                        throw DataError(source, "element \(i) of dtype \(dtype.descr) is \(v), not an integer")
                    }
                    return Int(v)
                }
            }
        }
    }
}
