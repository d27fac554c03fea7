/// The element types named in safetensors headers, and how each becomes Float32.
enum SafetensorsDtype: String, CaseIterable {
    case bool = "BOOL"
    case u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32"
    case f64 = "F64", i64 = "I64", u64 = "U64"

    /// Bytes per element.
    var size: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: 1
        case .i16, .u16, .f16, .bf16: 2
        case .i32, .u32, .f32: 4
        case .f64, .i64, .u64: 8
        }
    }

    /// Whether ``decode(_:count:into:)`` handles this type; integer checkpoints are not ours to reinterpret.
    var convertsToFloat: Bool { [.f32, .f64, .f16, .bf16].contains(self) }

    /// Reads `count` little-endian elements from `bytes` into `destination` as Float32.
    func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        switch self {
        case .f32:
            for i in 0..<count {
                destination[i] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
            }
        case .f64:
            for i in 0..<count {
                destination[i] = Float(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))))
            }
        case .f16:
            for i in 0..<count {
                destination[i] = Float(Float16(bitPattern: UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))))
            }
        case .bf16:
            // bfloat16 is the top half of a Float32.
            for i in 0..<count {
                let half = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
                destination[i] = Float(bitPattern: UInt32(half) << 16)
            }
        default:
            preconditionFailure("SafetensorsDtype.decode: \(rawValue) does not convert to Float32")
        }
    }
}
