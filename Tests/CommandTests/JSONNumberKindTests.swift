import Foundation
import Testing

@testable import FusionNASCommand

/// A number keeps its kind through ``JSONValue/parse(_:)`` and ``JSONValue/rendered(pretty:)``:
/// a resumed run parses its `config.json` and writes it again, and `"beta-decay": 0.0` must not
/// come back as the integer `0`.
@Suite struct JSONNumberKindTests {
    static let doubles: [Double] = [
        0.0, 1.0, -1.0, 1e-4, -2.5, 0.1, 3.0e-7, 123456.0, 1e14, 1e15, 1e16, -4.5e20, 1e300,
        Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude, 9007199254740993.0,
    ]
    static let integers: [Int] = [0, 1, -1, 42, -7, 1_000_000, Int(Int32.max) + 1, Int.max, Int.min]

    @Test(arguments: doubles) func aDoubleReadsBackAsTheSameDouble(_ value: Double) throws {
        let text = JSONValue.double(value).rendered(pretty: false)
        #expect(text.contains(".") || text.contains("e"), "\(text) would read back as an integer")
        #expect(try JSONValue.parse(Data(text.utf8)) == .double(value), "\(text)")
        #expect(try JSONValue.parse(Data("[\(text)]".utf8)).rendered(pretty: false) == "[\(text)]")
    }

    @Test(arguments: integers) func anIntegerReadsBackAsTheSameInteger(_ value: Int) throws {
        let text = JSONValue.int(value).rendered(pretty: false)
        #expect(text == String(value))
        #expect(try JSONValue.parse(Data(text.utf8)) == .int(value))
    }

    @Test func numbersAsWrittenKeepTheirKind() throws {
        let cases: [(String, JSONValue)] = [
            ("0.0", .double(0)), ("1.0", .double(1)), ("-0.0", .double(-0.0)), ("1e-4", .double(1e-4)),
            ("1E3", .double(1000)), ("2e0", .double(2)), ("-2.5", .double(-2.5)), ("0", .int(0)), ("-0", .int(0)),
            ("17", .int(17)), ("9223372036854775807", .int(.max)), ("-9223372036854775808", .int(.min)),
            ("9223372036854775808", .double(9223372036854775808.0)), ("123456789012345678901234567890", .double(1.2345678901234568e29)),
        ]
        for (text, expected) in cases {
            #expect(try JSONValue.parse(Data(text.utf8)) == expected, "\(text)")
        }
        #expect(JSONValue.double(-0.0).rendered(pretty: false) == "-0.0")
        #expect(JSONValue.double(0).rendered(pretty: false) == "0.0")
    }

    @Test func aRenderedDocumentParsesAndRendersToTheSameText() throws {
        let document: JSONValue = [
            "beta-decay": 0.0, "lr": 0.025, "arch-lr": 3e-4, "labels": 1.0, "threads": 2, "seed": 0,
            "temperature": -2.5, "big": 1e20, "name": "tab\t\"quoted\" \\ é ✓ 𝄞 \u{1}", "on": true, "off": false,
            "none": nil, "list": ["a", "b"], "numbers": [0.0, 1, 1.5], "empty": [], "nested": ["x": ["y": 0.0]],
            "nothing": [:],
        ]
        for pretty in [true, false] {
            let text = document.rendered(pretty: pretty)
            let parsed = try JSONValue.parse(Data(text.utf8))
            #expect(parsed == document)
            #expect(parsed.rendered(pretty: pretty) == text)
        }
    }

    @Test func stringsEscapesAndWhitespaceParseAsJSON() throws {
        #expect(try JSONValue.parse(Data(#" { "a" : [ "\u00e9\ud834\udd1e\/\b\f\n\r\t" ] } "#.utf8)) == ["a": ["é𝄞/\u{8}\u{c}\n\r\t"]])
        #expect(try JSONValue.parse(Data([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))) == [1])
        #expect(try JSONValue.parse(Data(#"{"a": 1, "a": 2}"#.utf8)) == ["a": 2])
        // One trailing comma, which JSONDecoder (the parser before) accepted too.
        #expect(try JSONValue.parse(Data(#"{"a": [1, 2.0, ], "b": 0.0 , }"#.utf8)) == ["a": [1, 2.0], "b": 0.0])
    }

    @Test(arguments: [
        "", "{", "[,]", "{,}", "[1,,]", "{\"a\":1,,}", "01", "1.", ".5", "+1", "1e", "-", "1e400", "NaN", "nul", "[1] x", "'a'",
        "\"\\ud800\"", "\"\\x\"", "\"a\nb\"", "\"\\u12G4\"", "\"\\u+123\"", "{1: 2}", "[1 2]",
    ])
    func invalidDocumentsAreRefused(_ text: String) {
        #expect(throws: JSONParseError.self, "\(text)") { try JSONValue.parse(Data(text.utf8)) }
    }

    @Test func invalidUTF8AndDeepNestingAreRefused() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Data([0x22, 0xFF, 0x22])) }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Data(deep.utf8)) }
    }

    /// Every option of `run` (flags, integers, Doubles, fractions, strings, lists, repeatable
    /// options), saved as `config.json` with whole Doubles such as 0.0 and 1.0, reads back through
    /// `--config` as the same values, and the saved text survives the parse-and-rewrite of a resume.
    @Test func aSavedRunConfigurationReadsBackForEveryOptionType() throws {
        let directory = try makeCommandTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let specs = RunCommand.command.options
        let original = try parseValues(
            ["--beta-decay", "0", "--labels", "1", "--lr", "2", "--seed", "3", "--plugin", "p.so", "--quiet"], specs: specs)
        let text = original.renderedConfiguration()
        #expect(text.contains(#""beta-decay": 0.0"#), "\(text)")
        #expect(try JSONValue.parse(Data(text.utf8)).rendered(pretty: true) + "\n" == text)
        let url = directory.appendingPathComponent("config.json")
        try Data(text.utf8).write(to: url)
        let reread = try parseValues(["--config", url.path], specs: specs)
        for spec in specs where spec.name != CommonOptions.config.name {
            #expect(reread.value(spec.name) == original.value(spec.name), "\(spec.name)")
        }
        var again = reread.configuration
        again[CommonOptions.config.name] = nil
        #expect(JSONValue.object(again).rendered(pretty: true) + "\n" == text)
    }

    /// Whole Doubles written by hand (`"epochs": 2.0`) are still read by integer options, as they
    /// were when the parser read `2.0` as an integer.
    @Test func aWholeDoubleInAFileStillReadsAsAnInteger() throws {
        let directory = try makeCommandTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("config.json")
        try Data(#"{"epochs": 2.0, "labels": 1.0, "seed": 0.0}"#.utf8).write(to: url)
        let values = try parseValues(["--config", url.path])
        #expect(values.int("epochs") == 2)
        #expect(values.double("labels") == 1)
        #expect(values.int("seed") == 0)
    }
}
