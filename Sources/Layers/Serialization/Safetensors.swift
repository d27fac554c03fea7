import Foundation
import Tensors

/// Reads and writes the safetensors format, so checkpoints open in PyTorch, JAX and NumPy tools.
///
/// Layout: an 8-byte little-endian `UInt64` header length `N`; `N` bytes of UTF-8 JSON
/// `{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ..., "__metadata__": {..}}`
/// padded with spaces to a multiple of 8; then the raw little-endian element data. Offsets count from
/// the start of the data section. Tensors are written as F32 in the order given.
///
/// ```swift
/// try Safetensors.write(model.stateDictionary(), metadata: ["epoch": "3"], to: url)
/// let (tensors, metadata) = try Safetensors.read(from: url)
/// try model.loadState(tensors)
/// ```
public enum Safetensors {
    /// The header key reserved for free-form string metadata.
    public static let metadataKey = "__metadata__"

    /// Writes `tensors` and `metadata` to `url` atomically (see ``AtomicFile``).
    public static func write(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], to url: URL
    ) throws {
        try AtomicFile.write(encode(tensors, metadata: metadata), to: url)
    }

    /// Reads every tensor (converted to Float32) and the metadata of the file at `url`.
    ///
    /// - Throws: ``SafetensorsError`` naming the file and what is wrong with it.
    public static func read(from url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        try decode(Data(contentsOf: url, options: .mappedIfSafe), file: url)
    }

    /// The bytes of a safetensors file holding `tensors` in order, then `metadata` (omitted when empty).
    ///
    /// - Precondition: names are unique and none is `__metadata__`.
    public static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) -> Data {
        var header = "{"
        var entries: [String] = []
        var offset = 0
        var seen = Set<String>()
        for (name, tensor) in tensors {
            precondition(name != metadataKey, "Safetensors.encode: '\(metadataKey)' is reserved")
            precondition(seen.insert(name).inserted, "Safetensors.encode: duplicate tensor name '\(name)'")
            let end = offset + tensor.count * 4
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append(
                "\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            entries.append("\(jsonString(metadataKey)):{\(pairs.joined(separator: ","))}")
        }
        header += entries.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        // Padding keeps the data section 8-byte aligned for readers that map the file.
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }

        var data = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: headerBytes)
        for (_, tensor) in tensors {
            var littleEndian = [UInt32](repeating: 0, count: tensor.count)
            for i in 0..<tensor.count { littleEndian[i] = tensor.data[i].bitPattern.littleEndian }
            littleEndian.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        return data
    }

    /// Parses safetensors bytes; `file` only names the source in errors.
    public static func decode(_ bytes: Data, file: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        func fail(_ problem: SafetensorsError.Problem) -> SafetensorsError {
            SafetensorsError(file: file, problem: problem)
        }
        guard bytes.count >= 8 else { throw fail(.truncatedHeader(fileSize: bytes.count)) }
        let declared = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard declared <= UInt64(bytes.count - 8) else {
            throw fail(.headerLengthTooLarge(declared: declared, available: bytes.count - 8))
        }
        let headerLength = Int(declared)
        let headerStart = bytes.startIndex + 8
        let headerBytes = bytes[headerStart..<headerStart + headerLength]
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw fail(.invalidHeader("expected a JSON object starting with '{'"))
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: headerBytes)
        } catch {
            throw fail(.invalidHeader("not valid JSON (\(error.localizedDescription))"))
        }
        guard let header = json as? [String: Any] else { throw fail(.invalidHeader("expected a JSON object")) }

        var metadata: [String: String] = [:]
        if let rawMetadata = header[metadataKey] {
            guard let object = rawMetadata as? [String: Any] else {
                throw fail(.invalidHeader("'\(metadataKey)' must be an object of strings"))
            }
            for (key, value) in object {
                guard let string = value as? String else {
                    throw fail(.invalidHeader("'\(metadataKey)' value for '\(key)' is not a string"))
                }
                metadata[key] = string
            }
        }

        let dataStart = headerStart + headerLength
        let dataSize = bytes.count - 8 - headerLength
        var entries: [(name: String, dtype: SafetensorsDtype, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in header where name != metadataKey {
            guard let entry = value as? [String: Any] else {
                throw fail(.invalidEntry(tensor: name, reason: "expected an object with dtype, shape and data_offsets"))
            }
            guard let dtypeName = entry["dtype"] as? String else {
                throw fail(.invalidEntry(tensor: name, reason: "missing or non-string 'dtype'"))
            }
            guard let dtype = SafetensorsDtype(rawValue: dtypeName) else {
                throw fail(.unknownDtype(tensor: name, dtype: dtypeName))
            }
            guard let shape = integers(entry["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw fail(.invalidEntry(tensor: name, reason: "'shape' must be an array of non-negative integers"))
            }
            guard let offsets = integers(entry["data_offsets"]), offsets.count == 2 else {
                throw fail(.invalidEntry(tensor: name, reason: "'data_offsets' must be two integers [begin, end]"))
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw fail(.offsetsOutOfRange(tensor: name, begin: begin, end: end, dataSize: dataSize))
            }
            let (elements, overflow) = shape.reduce((1, false)) { acc, extent in
                let (product, o) = acc.0.multipliedReportingOverflow(by: extent)
                return (product, acc.1 || o)
            }
            let expected = overflow ? Int.max : elements.multipliedReportingOverflow(by: dtype.size).partialValue
            guard !overflow, expected == end - begin else {
                throw fail(
                    .sizeMismatch(
                        tensor: name, shape: shape, dtype: dtypeName, expectedBytes: expected, actualBytes: end - begin))
            }
            guard dtype.convertsToFloat else { throw fail(.unsupportedDtype(tensor: name, dtype: dtypeName)) }
            entries.append((name, dtype, shape, begin, end))
        }

        // Sorted by start, any overlap shows up between neighbours; empty tensors own no bytes.
        let ordered = entries.filter { $0.end > $0.begin }.sorted { ($0.begin, $0.name) < ($1.begin, $1.name) }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where next.begin < previous.end {
            throw fail(.overlappingTensors(previous.name, next.name))
        }

        var tensors: [String: Tensor] = [:]
        bytes.withUnsafeBytes { raw in
            for entry in entries {
                let tensor = Tensor(uninitializedShape: entry.shape)
                let offset = dataStart - bytes.startIndex + entry.begin
                let slice = UnsafeRawBufferPointer(rebasing: raw[offset..<offset + (entry.end - entry.begin)])
                entry.dtype.decode(slice, count: tensor.count, into: tensor.data)
                tensors[entry.name] = tensor
            }
        }
        return (tensors, metadata)
    }

    /// A JSON array of integers as `[Int]`, or nil when any element is not a whole number.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for element in array {
            guard let integer = element as? Int else { return nil }
            result.append(integer)
        }
        return result
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
