import Foundation
import Testing

@testable import FusionNASCommand

@Suite struct MetricsLogTests {
    @Test func eachRecordIsOneParsableJSONLineWrittenImmediately() throws {
        let directory = try makeCommandTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("metrics.jsonl")
        let log = try MetricsLog(url: url)
        try log.append(["epoch": 1, "loss": 0.75, "phase": "search"])
        // Readable before the log is closed: the line was flushed.
        #expect(try String(contentsOf: url, encoding: .utf8) == #"{"epoch":1,"loss":0.75,"phase":"search"}"# + "\n")
        try log.append(["epoch": 2, "loss": .double(.nan), "alphas": [0.1, 0.9]])

        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            #expect(object is [String: Any])
        }
        let records = try MetricsLog.read(from: url)
        #expect(records[1]["loss"] == .null)
        #expect(records[1]["alphas"] == [0.1, 0.9])
    }

    @Test func reopeningAppendsAndAPartialLastLineIsSkipped() throws {
        let directory = try makeCommandTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("metrics.jsonl")
        try MetricsLog(url: url).append(["epoch": 1])
        try MetricsLog(url: url).append(["epoch": 2])
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"epoch": 3, "lo"#.utf8))
        try handle.close()
        #expect(try MetricsLog.read(from: url) == [["epoch": 1], ["epoch": 2]])
    }

    @Test func aCorruptLineInTheMiddleIsReportedWithItsNumber() throws {
        let directory = try makeCommandTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("metrics.jsonl")
        try "{\"a\":1}\nnot json\n{\"a\":2}\n".write(to: url, atomically: true, encoding: .utf8)
        let error = #expect(throws: MetricsLog.Failure.self) { try MetricsLog.read(from: url) }
        #expect(error?.description == "\(url.path): line 2 is not a JSON object")
    }

    @Test func jsonRenderingSortsKeysAndKeepsNumbersRecognisable() {
        let value: JSONValue = ["b": 2.0, "a": ["x": "q\"uote"], "c": nil, "d": true]
        #expect(value.rendered(pretty: false) == #"{"a":{"x":"q\"uote"},"b":2.0,"c":null,"d":true}"#)
        #expect(JSONValue.array([]).rendered() == "[]")
        #expect(JSONValue.object(["k": [1, 2]]).rendered() == "{\n  \"k\": [\n    1,\n    2\n  ]\n}")
    }
}
