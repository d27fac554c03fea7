import Foundation
import Tensors

/// Reads NumPy `.npy` files (format versions 1.0, 2.0 and 3.0).
///
/// Supported element types are those of ``NPYDType`` in little-endian (`<`), byte-order-free (`|`)
/// or native (`=`, little-endian on every platform this project runs on) form. Fortran-order
/// arrays, big-endian arrays, structured and object dtypes are rejected with an error naming the
/// file and the offending header field.
public enum NPYReader {
    /// The magic string every `.npy` file starts with.
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Reads the `.npy` file at `path`.
    public static func read(path: String) throws -> NPYArray {
        try parse(readFileBytes(path), source: path)
    }

    /// Parses the bytes of an `.npy` file; `source` names it in error messages.
    public static func parse(_ bytes: [UInt8], source: String) throws -> NPYArray {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw DataError(source, "not an .npy file (the magic string \\x93NUMPY is missing)")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw DataError(source, "truncated .npy header (\(bytes.count) bytes)") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw DataError(source, "unsupported .npy format version \(major).\(bytes[7]) (1, 2 and 3 are supported)")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw DataError(source, "truncated .npy header: it declares \(headerLength) bytes but the file has \(bytes.count - headerStart) after the preamble")
        }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        let (dtype, fortranOrder, shape) = try parseHeader(header, source: source)
        guard !fortranOrder else {
            throw DataError(source, "field 'fortran_order' is True: Fortran-order arrays are not supported; save a C-order array (np.ascontiguousarray)")
        }
        var total = dtype.itemSize
        for extent in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw DataError(source, "shape \(shape) is too large") }
            total = product
        }
        let dataStart = headerStart + headerLength
        guard bytes.count - dataStart >= total else {
            throw DataError(source, "truncated data: shape \(shape) of \(dtype.descr) needs \(total) bytes but the file has \(bytes.count - dataStart)")
        }
        return NPYArray(shape: shape, dtype: dtype, payload: Array(bytes[dataStart..<(dataStart + total)]))
    }

    /// The `descr`, `fortran_order` and `shape` fields of a header dictionary literal such as
    /// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
    static func parseHeader(_ header: String, source: String) throws -> (NPYDType, Bool, [Int]) {
        let descrText = try value(of: "descr", in: header, source: source)
        guard let quoteChar = descrText.first, quoteChar == "'" || quoteChar == "\"",
              let close = descrText.dropFirst().firstIndex(of: quoteChar)
        else {
            throw DataError(source, "header field 'descr' is not a simple dtype string (structured dtypes are not supported): \(descrText.prefix(40))")
        }
        let descr = String(descrText[descrText.index(after: descrText.startIndex)..<close])
        guard let order = descr.first, "<>|=".contains(order) || descr.count == 2 else {
            throw DataError(source, "header field 'descr' has unsupported dtype '\(descr)'")
        }
        let code = descr.count == 2 ? descr : String(descr.dropFirst())
        if order == ">" && !(code.hasSuffix("1")) {
            throw DataError(source, "header field 'descr' has big-endian dtype '\(descr)'; only little-endian ('<') data is supported")
        }
        guard let dtype = NPYDType(rawValue: code) else {
            throw DataError(source, "header field 'descr' has unsupported dtype '\(descr)'; supported: \(NPYDType.allCases.map(\.descr).joined(separator: " "))")
        }
        let fortranText = try value(of: "fortran_order", in: header, source: source)
        let fortran: Bool
        if fortranText.hasPrefix("True") { fortran = true }
        else if fortranText.hasPrefix("False") { fortran = false }
        else { throw DataError(source, "header field 'fortran_order' is neither True nor False") }
        let shapeText = try value(of: "shape", in: header, source: source)
        guard shapeText.first == "(", let end = shapeText.firstIndex(of: ")") else {
            throw DataError(source, "header field 'shape' is not a tuple")
        }
        let inner = shapeText[shapeText.index(after: shapeText.startIndex)..<end]
        var shape = [Int]()
        for part in inner.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let extent = Int(trimmed.hasSuffix("L") ? String(trimmed.dropLast()) : trimmed), extent >= 0 else {
                throw DataError(source, "header field 'shape' has a bad extent '\(trimmed.prefix(20))'")
            }
            shape.append(extent)
        }
        return (dtype, fortran, shape)
    }

    /// The text after `'key':` (leading spaces removed) up to the end of the header.
    private static func value(of key: String, in header: String, source: String) throws -> Substring {
        for quoted in ["'\(key)'", "\"\(key)\""] {
            if let range = header.range(of: quoted) {
                var rest = header[range.upperBound...].drop(while: { $0 == " " })
                guard rest.first == ":" else { break }
                rest = rest.dropFirst().drop(while: { $0 == " " })
                return rest
            }
        }
        throw DataError(source, "the .npy header has no field '\(key)'")
    }
}

/// Writes NumPy `.npy` files (version 1.0, C order, little-endian).
public enum NPYWriter {
    /// The bytes of an `.npy` file holding `array`.
    public static func encode(_ array: NPYArray) -> [UInt8] {
        let shapeText = array.shape.count == 1 ? "(\(array.shape[0]),)" : "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(array.dtype.descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        // The data starts on a 64-byte boundary, as NumPy writes it.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = header.utf8.count
        return NPYReader.magic + [1, 0, UInt8(length & 0xff), UInt8(length >> 8)] + Array(header.utf8) + array.payload
    }

    /// Writes `array` to `path`.
    public static func write(_ array: NPYArray, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(encode(array))) else {
            throw DataError(path, "cannot write the file")
        }
    }
}
