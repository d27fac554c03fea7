import CZlib
import Foundation

/// Reads NumPy `.npz` archives: a zip file whose members `name.npy` are `.npy` files, either
/// stored (`np.savez`) or deflate-compressed (`np.savez_compressed`). ZIP64 size fields are
/// understood; CRC-32 checksums are verified.
public enum NPZReader {
    /// Every array of the archive at `path`, keyed by member name without `.npy`.
    public static func read(path: String) throws -> [String: NPYArray] {
        try parse(readFileBytes(path), source: path)
    }

    /// Every array of an `.npz` archive's bytes; `source` names it in error messages.
    public static func parse(_ bytes: [UInt8], source: String) throws -> [String: NPYArray] {
        var arrays = [String: NPYArray]()
        for member in try ZipDirectory.members(of: bytes, source: source) {
            let key = member.name.hasSuffix(".npy") ? String(member.name.dropLast(4)) : member.name
            let content = try member.contents(of: bytes, source: source)
            arrays[key] = try NPYReader.parse(content, source: "\(source)[\(member.name)]")
        }
        return arrays
    }

    /// The array `name` of the archive at `path`; the error lists the names it does contain.
    public static func read(path: String, array name: String) throws -> NPYArray {
        let arrays = try read(path: path)
        guard let array = arrays[name] else {
            throw DataError(path, "no array '\(name)' in the archive; it contains: \(arrays.keys.sorted().joined(separator: ", "))")
        }
        return array
    }
}

/// Writes `.npz` archives (used by tests and by users preparing data).
public enum NPZWriter {
    /// The bytes of an archive holding `arrays` in the given order, each member stored or,
    /// when `compressed`, raw-deflated with zlib as `np.savez_compressed` does.
    public static func encode(_ arrays: [(name: String, array: NPYArray)], compressed: Bool = false) throws -> [UInt8] {
        var output = [UInt8](), central = [UInt8]()
        for (name, array) in arrays {
            let fileName = Array((name + ".npy").utf8)
            let content = NPYWriter.encode(array)
            let crc = UInt32(content.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) })
            let body = compressed ? try deflateRaw(content) : content
            let offset = output.count
            var local = [UInt8]()
            local.appendLE(UInt32(0x0403_4b50)); local.appendLE(UInt16(20)); local.appendLE(UInt16(0))
            local.appendLE(UInt16(compressed ? 8 : 0)); local.appendLE(UInt16(0)); local.appendLE(UInt16(0x21))
            local.appendLE(crc); local.appendLE(UInt32(body.count)); local.appendLE(UInt32(content.count))
            local.appendLE(UInt16(fileName.count)); local.appendLE(UInt16(0))
            output += local + fileName + body
            central.appendLE(UInt32(0x0201_4b50)); central.appendLE(UInt16(20)); central.appendLE(UInt16(20))
            central.appendLE(UInt16(0)); central.appendLE(UInt16(compressed ? 8 : 0)); central.appendLE(UInt16(0))
            central.appendLE(UInt16(0x21)); central.appendLE(crc); central.appendLE(UInt32(body.count))
            central.appendLE(UInt32(content.count)); central.appendLE(UInt16(fileName.count))
            central.appendLE(UInt16(0)); central.appendLE(UInt16(0)); central.appendLE(UInt16(0))
            central.appendLE(UInt16(0)); central.appendLE(UInt32(0)); central.appendLE(UInt32(offset))
            central += fileName
        }
        let centralOffset = output.count
        output += central
        output.appendLE(UInt32(0x0605_4b50)); output.appendLE(UInt16(0)); output.appendLE(UInt16(0))
        output.appendLE(UInt16(arrays.count)); output.appendLE(UInt16(arrays.count))
        output.appendLE(UInt32(central.count)); output.appendLE(UInt32(centralOffset)); output.appendLE(UInt16(0))
        return output
    }

    /// Writes an archive of `arrays` to `path`.
    public static func write(_ arrays: [(name: String, array: NPYArray)], to path: String, compressed: Bool = false) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(try encode(arrays, compressed: compressed))) else {
            throw DataError(path, "cannot write the file")
        }
    }

    /// Raw deflate (no zlib header: window bits -15), the encoding of zip method 8.
    static func deflateRaw(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError("zlib", "deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 16)
        var input = input
        let status = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw DataError("zlib", "deflate failed with status \(status)") }
        return Array(output.prefix(Int(stream.total_out)))
    }
}

/// One entry of a zip central directory.
struct ZipMember {
    var name: String
    var method: UInt16
    var crc: UInt32
    var compressedSize: Int
    var uncompressedSize: Int
    var localHeaderOffset: Int

    /// The member's uncompressed bytes, checked against its CRC-32.
    func contents(of bytes: [UInt8], source: String) throws -> [UInt8] {
        let o = localHeaderOffset
        // `o <= count - 30` rather than `o + 30 <= count`: a ZIP64 offset near 2^63 would overflow.
        guard o >= 0, bytes.count >= 30, o <= bytes.count - 30, bytes.readLE(o, as: UInt32.self) == 0x0403_4b50 else {
            throw DataError(source, "member '\(name)': bad local header at offset \(o)")
        }
        let start = o + 30 + Int(bytes.readLE(o + 26, as: UInt16.self)) + Int(bytes.readLE(o + 28, as: UInt16.self))
        guard compressedSize >= 0, start <= bytes.count, bytes.count - start >= compressedSize else {
            throw DataError(source, "member '\(name)' is truncated: \(compressedSize) bytes declared after offset \(start) in a \(bytes.count)-byte file")
        }
        let body = Array(bytes[start..<(start + compressedSize)])
        let content: [UInt8]
        switch method {
        case 0: content = body
        case 8: content = try ZipMember.inflateRaw(body, expected: uncompressedSize, source: "\(source)[\(name)]")
        default: throw DataError(source, "member '\(name)' uses zip compression method \(method); only stored (0) and deflate (8) are supported")
        }
        guard content.count == uncompressedSize else {
            throw DataError(source, "member '\(name)' has \(content.count) bytes, expected \(uncompressedSize)")
        }
        let actual = UInt32(content.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) })
        guard actual == crc else { throw DataError(source, "member '\(name)' fails its CRC-32 check (corrupted data)") }
        return content
    }

    /// Inflates raw deflate data (window bits -15) of a known uncompressed size.
    static func inflateRaw(_ input: [UInt8], expected: Int, source: String) throws -> [UInt8] {
        // Deflate cannot expand data more than 1032-fold, so a larger declared size is corrupt; checking
        // it before allocating avoids reserving gigabytes for a damaged header (found by fuzzing).
        guard expected >= 0, expected <= input.count * 1032 + 64 else {
            throw DataError(source, "implausible uncompressed size \(expected) for \(input.count) compressed bytes")
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError(source, "inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        // One spare byte reveals data that is longer than declared.
        var output = [UInt8](repeating: 0, count: expected + 1)
        var input = input
        let status = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else {
            throw DataError(source, "compressed data is corrupt or truncated (zlib status \(status))")
        }
        return Array(output.prefix(Int(stream.total_out)))
    }
}

/// The central directory of a zip file.
enum ZipDirectory {
    static func members(of bytes: [UInt8], source: String) throws -> [ZipMember] {
        guard bytes.count >= 4, bytes.readLE(0, as: UInt32.self) == 0x0403_4b50 || bytes.readLE(0, as: UInt32.self) == 0x0605_4b50 else {
            throw DataError(source, "not an .npz (zip) file: the zip signature PK\\x03\\x04 is missing")
        }
        // The end-of-central-directory record is in the last 22 + 65,535 bytes.
        var end = -1
        var i = bytes.count - 22
        while i >= max(0, bytes.count - 22 - 65_535) {
            if bytes.readLE(i, as: UInt32.self) == 0x0605_4b50 { end = i; break }
            i -= 1
        }
        guard end >= 0 else { throw DataError(source, "truncated .npz: no zip end-of-central-directory record") }
        var entryCount = Int(bytes.readLE(end + 10, as: UInt16.self))
        var offset = Int(bytes.readLE(end + 16, as: UInt32.self))
        if (entryCount == 0xffff || offset == 0xffff_ffff), end >= 20, bytes.readLE(end - 20, as: UInt32.self) == 0x0706_4b50 {
            let record = Int(clamping: bytes.readLE(end - 12, as: UInt64.self))
            guard record >= 0, record <= bytes.count - 56, bytes.readLE(record, as: UInt32.self) == 0x0606_4b50 else {
                throw DataError(source, "bad ZIP64 end-of-central-directory record")
            }
            entryCount = Int(clamping: bytes.readLE(record + 32, as: UInt64.self))
            offset = Int(clamping: bytes.readLE(record + 48, as: UInt64.self))
        }
        var members = [ZipMember]()
        for entry in 0..<entryCount {
            guard offset >= 0, offset <= bytes.count - 46, bytes.readLE(offset, as: UInt32.self) == 0x0201_4b50 else {
                throw DataError(source, "truncated .npz: central directory entry \(entry) at offset \(offset) is missing")
            }
            let nameLength = Int(bytes.readLE(offset + 28, as: UInt16.self))
            let extraLength = Int(bytes.readLE(offset + 30, as: UInt16.self))
            let commentLength = Int(bytes.readLE(offset + 32, as: UInt16.self))
            guard offset + 46 + nameLength + extraLength <= bytes.count else {
                throw DataError(source, "truncated .npz: central directory entry \(entry) runs past the end")
            }
            var member = ZipMember(
                name: String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self),
                method: bytes.readLE(offset + 10, as: UInt16.self),
                crc: bytes.readLE(offset + 16, as: UInt32.self),
                compressedSize: Int(bytes.readLE(offset + 20, as: UInt32.self)),
                uncompressedSize: Int(bytes.readLE(offset + 24, as: UInt32.self)),
                localHeaderOffset: Int(bytes.readLE(offset + 42, as: UInt32.self)))
            // ZIP64 extra field: the 64-bit values replace the saturated 32-bit ones, in order.
            var extra = offset + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = bytes.readLE(extra, as: UInt16.self), size = Int(bytes.readLE(extra + 2, as: UInt16.self))
                if id == 1 {
                    var field = extra + 4
                    func next() -> Int? {
                        guard field + 8 <= min(extraEnd, extra + 4 + size) else { return nil }
                        defer { field += 8 }
                        return Int(clamping: bytes.readLE(field, as: UInt64.self))
                    }
                    if member.uncompressedSize == 0xffff_ffff, let v = next() { member.uncompressedSize = v }
                    if member.compressedSize == 0xffff_ffff, let v = next() { member.compressedSize = v }
                    if member.localHeaderOffset == 0xffff_ffff, let v = next() { member.localHeaderOffset = v }
                }
                extra += 4 + size
            }
            members.append(member)
            offset += 46 + nameLength + extraLength + commentLength
        }
        return members
    }
}

extension [UInt8] {
    /// A little-endian integer at byte offset `o` (the caller checks bounds).
    func readLE<T: FixedWidthInteger>(_ o: Int, as type: T.Type) -> T {
        var value: T = 0
        for k in 0..<MemoryLayout<T>.size { value |= T(truncatingIfNeeded: self[o + k]) << (8 * k) }
        return value
    }

    mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        for k in 0..<MemoryLayout<T>.size { append(UInt8(truncatingIfNeeded: value >> (8 * k))) }
    }
}
