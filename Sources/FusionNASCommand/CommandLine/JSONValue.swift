import Foundation

/// A JSON document as plain data: configuration files, `metrics.jsonl` lines and `summary.json`.
///
/// Rendering sorts object keys so saved files diff cleanly between runs; non-finite numbers (a
/// diverged loss) render as `null` because JSON has no NaN.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses a JSON document, keeping each number's kind as written: `0.0`, `1e-4` and `2E3` are
    /// `.double`, `0` and `-7` are `.int` (an integer too large for `Int` is `.double`).
    ///
    /// `JSONDecoder` cannot be used here: it decodes `0.0` as the `Int` 0, so a parsed file
    /// rendered again turned `"beta-decay": 0.0` into `0` (a resumed run's `config.json`, the
    /// kept lines of `metrics.jsonl`). Parsed and rendered again, a document written by
    /// ``rendered(pretty:)`` is unchanged.
    public static func parse(_ data: Data) throws -> JSONValue {
        var parser = Parser(bytes: Array(data))
        return try parser.document()
    }

    /// The document as text with sorted keys: indented by two spaces when `pretty`, else on one line.
    public func rendered(pretty: Bool = true) -> String {
        var out = ""
        render(into: &out, indent: pretty ? "" : nil)
        return out
    }

    private func render(into out: inout String, indent: String?) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .double(let value): out += value.isFinite ? Self.number(value) : "null"
        case .string(let value): out += Self.quoted(value)
        case .array(let elements):
            renderContainer(
                elements.map { element in { (out: inout String, inner: String?) in element.render(into: &out, indent: inner) } },
                open: "[", close: "]", into: &out, indent: indent)
        case .object(let members):
            renderContainer(
                members.sorted { $0.key < $1.key }.map { key, value in
                    { (out: inout String, inner: String?) in
                        out += Self.quoted(key) + (inner == nil ? ":" : ": ")
                        value.render(into: &out, indent: inner)
                    }
                },
                open: "{", close: "}", into: &out, indent: indent)
        }
    }

    private func renderContainer(
        _ items: [(inout String, String?) -> Void], open: String, close: String, into out: inout String,
        indent: String?
    ) {
        guard !items.isEmpty else { return out += open + close }
        out += open
        let inner = indent.map { $0 + "  " }
        for (index, item) in items.enumerated() {
            if index > 0 { out += "," }
            if let inner { out += "\n" + inner }
            item(&out, inner)
        }
        if let indent { out += "\n" + indent }
        out += close
    }

    /// Shortest text that reads back as the same Double, always with a decimal point or an
    /// exponent, so that ``parse(_:)`` reads it back as a Double and not as an integer.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return (value.sign == .minus && value == 0 ? "-" : "") + String(Int(value)) + ".0"
        }
        return "\(value)"
    }

    static func quoted(_ text: String) -> String {
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

/// The decoding of a JSONValue nested in a `Decodable` type; such a decoder cannot tell `1.0`
/// from `1`, so a whole document is read with ``JSONValue/parse(_:)``.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try value.isFinite ? container.encode(value) : container.encodeNil()
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

/// Why ``JSONValue/parse(_:)`` refused a document.
public struct JSONParseError: Error, CustomStringConvertible, Equatable {
    /// What was wrong.
    public let reason: String
    /// The byte offset into the document where it was found.
    public let offset: Int
    public var description: String { "\(reason) at byte \(offset)" }
}

extension JSONValue {
    /// An RFC 8259 parser that keeps how each number was written. Like `JSONDecoder`, which read
    /// these files before, it accepts one trailing comma before `]` or `}`, so that a hand-edited
    /// configuration file that loaded then still loads.
    fileprivate struct Parser {
        let bytes: [UInt8]
        var index = 0
        /// Deeper nesting is refused, so that a hostile file cannot exhaust the stack.
        static let maximumDepth = 512

        init(bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }  // UTF-8 byte order mark
        }

        mutating func document() throws -> JSONValue {
            let value = try self.value(depth: 0)
            skipWhitespace()
            guard index == bytes.count else { throw failure("unexpected text after the JSON value") }
            return value
        }

        private func failure(_ reason: String) -> JSONParseError { JSONParseError(reason: reason, offset: index) }

        private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        private mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        private mutating func expect(_ word: String) throws {
            for byte in word.utf8 {
                guard current == byte else { throw failure("invalid literal, expected '\(word)'") }
                index += 1
            }
        }

        private mutating func value(depth: Int) throws -> JSONValue {
            guard depth <= Self.maximumDepth else { throw failure("nested too deeply") }
            skipWhitespace()
            guard let byte = current else { throw failure("unexpected end of the document") }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw failure("unexpected character")
            }
        }

        private mutating func object(depth: Int) throws -> JSONValue {
            index += 1  // {
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if current == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipWhitespace()
                if !members.isEmpty, current == UInt8(ascii: "}") { index += 1; return .object(members) }  // trailing comma
                guard current == UInt8(ascii: "\"") else { throw failure("expected a string key") }
                let key = try string()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw failure("expected ':'") }
                index += 1
                members[key] = try value(depth: depth + 1)
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"): index += 1; return .object(members)
                default: throw failure("expected ',' or '}'")
                }
            }
        }

        private mutating func array(depth: Int) throws -> JSONValue {
            index += 1  // [
            var elements: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") { index += 1; return .array(elements) }
            while true {
                if !elements.isEmpty {
                    skipWhitespace()
                    if current == UInt8(ascii: "]") { index += 1; return .array(elements) }  // trailing comma
                }
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"): index += 1; return .array(elements)
                default: throw failure("expected ',' or ']'")
                }
            }
        }

        private mutating func digits() -> Int {
            let start = index
            while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }

        private mutating func number() throws -> JSONValue {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            if current == UInt8(ascii: "0") {
                index += 1
            } else {
                guard digits() > 0 else { throw failure("invalid number") }
            }
            var integral = true
            if current == UInt8(ascii: ".") {
                integral = false
                index += 1
                guard digits() > 0 else { throw failure("invalid number: no digit after '.'") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                integral = false
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw failure("invalid number: no digit in the exponent") }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if integral, let value = Int(text) { return .int(value) }
            guard let value = Double(text), value.isFinite else {
                index = start
                throw failure("number \(text) does not fit a Double")
            }
            return .double(value)
        }

        private mutating func hexQuad() throws -> UInt32 {
            guard index + 4 <= bytes.count,
                let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
                bytes[index..<index + 4].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
            else { throw failure("invalid \\u escape") }
            index += 4
            return value
        }

        private mutating func string() throws -> String {
            index += 1  // opening quote
            var buffer: [UInt8] = []
            while true {
                guard let byte = current else { throw failure("unterminated string") }
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    guard let text = String(validating: buffer, as: UTF8.self) else { throw failure("string is not valid UTF-8") }
                    return text
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let escaped = current else { throw failure("unterminated string") }
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escaped)
                    case UInt8(ascii: "b"): buffer.append(0x08)
                    case UInt8(ascii: "f"): buffer.append(0x0C)
                    case UInt8(ascii: "n"): buffer.append(0x0A)
                    case UInt8(ascii: "r"): buffer.append(0x0D)
                    case UInt8(ascii: "t"): buffer.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hexQuad()
                        if (0xD800...0xDBFF).contains(scalar) {
                            guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                                throw failure("unpaired surrogate in \\u escape")
                            }
                            index += 2
                            let low = try hexQuad()
                            guard (0xDC00...0xDFFF).contains(low) else { throw failure("unpaired surrogate in \\u escape") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw failure("unpaired surrogate in \\u escape") }
                        buffer.append(contentsOf: Array(String(Character(unicode)).utf8))
                    default: throw failure("invalid escape")
                    }
                case 0x00..<0x20:
                    throw failure("control character in string")
                default:
                    buffer.append(byte)
                    index += 1
                }
            }
        }
    }
}
