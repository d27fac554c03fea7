/// The conventions every text reader of this module shares (CSV features, label files, split
/// index files), so that a file saved by a spreadsheet reads the same as one written by a script:
/// UTF-8 with or without a byte-order mark, and `\n`, `\r\n` or `\r` line ends.
enum TextFile {
    /// The UTF-8 byte-order mark Excel writes at the start of "CSV UTF-8" files. Left in place it
    /// makes the first field non-numeric (so data row 0 passes for a header) or joins the first name.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// `bytes` without a leading UTF-8 byte-order mark; a UTF-16 file is refused (its bytes would
    /// read as text with a NUL between letters).
    static func utf8Bytes(_ bytes: [UInt8], source: String) throws -> [UInt8] {
        if bytes.starts(with: byteOrderMark) { return Array(bytes.dropFirst(byteOrderMark.count)) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw DataError(source, "the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8 (in Excel: \"CSV UTF-8\")")
        }
        return bytes
    }

    /// The lines of UTF-8 text ending in `\n`, `\r\n` or a lone `\r` (old Mac files), without their ends.
    static func lines(_ bytes: [UInt8]) -> [String] {
        var lines: [String] = []
        var start = 0, i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                lines.append(String(decoding: bytes[start..<i], as: UTF8.self))
                if byte == UInt8(ascii: "\r") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { lines.append(String(decoding: bytes[start...], as: UTF8.self)) }
        return lines
    }

    /// Refuses a file whose first non-blank line, outside double quotes, holds a `;` or a tab but
    /// no comma: it was saved with another separator (a European-locale CSV, a TSV), and guessing
    /// would misread a decimal comma or a name containing the character.
    static func checkCommaSeparated(_ bytes: [UInt8], source: String) throws {
        var quoted = false, sawText = false
        var found: UInt8? = nil
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if quoted { continue }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if sawText { break } else { continue }
            }
            sawText = true
            if byte == UInt8(ascii: ",") { return }
            if found == nil && (byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\t")) { found = byte }
        }
        guard let found else { return }
        let name = found == UInt8(ascii: ";") ? "semicolons (';')" : "tabs"
        throw DataError(source, "the first line is separated by \(name), not commas; save the file as comma-separated CSV (in Excel: \"CSV UTF-8 (Comma delimited)\")")
    }
}
