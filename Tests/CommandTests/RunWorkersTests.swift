import Foundation
import Testing

/// `run --workers 2` runs the self-supervised pipeline and the supervised baseline in two
/// processes; every file of the run directory must equal `--workers 1`'s, so that the option is
/// only ever a question of speed.
@Suite struct RunWorkersTests {
    static let tiny = [
        "--modalities", "fou,kar", "--search-epochs", "1", "--pretrain-epochs", "1", "--finetune-epochs", "1",
        "--encoder-epochs", "1", "--channels", "4", "--length", "4", "--batch-size", "32", "--threads", "2",
    ]

    /// Both runs write to `run` in turn (then renamed), so the paths recorded in them agree.
    @Test func runWithTwoWorkersEqualsOneWorkerFileForFile() throws {
        let directory = try FusionNASBinary.temporaryDirectory("run-workers")
        let manager = FileManager.default
        var outputs: [Int: String] = [:]
        for workers in [1, 2] {
            let result = try FusionNASBinary.run(["run", "--out", "run", "--workers", String(workers)] + Self.tiny, in: directory)
            try #require(result.status == 0, "\(result.output)")
            outputs[workers] = result.output
            try manager.moveItem(at: directory.appendingPathComponent("run"), to: directory.appendingPathComponent("\(workers)"))
        }
        let one = directory.appendingPathComponent("1"), two = directory.appendingPathComponent("2")
        let files = try Self.files(in: one)
        #expect(files.contains("checkpoints/supervised-train.safetensors") && files.contains("supervised-weights.safetensors"))
        #expect(try Self.files(in: two).filter { !$0.hasPrefix("workers/") } == files)
        for file in files {
            let a = try Data(contentsOf: one.appendingPathComponent(file)), b = try Data(contentsOf: two.appendingPathComponent(file))
            #expect(try Self.comparable(a, file: file) == Self.comparable(b, file: file), "\(file) differs between --workers 1 and --workers 2")
        }
        // The worker layout is said and kept: which arm ran where.
        let said = try #require(outputs[2])
        for arm in ["ssl", "supervised"] {
            #expect(said.contains("worker \(arm): ") && said.contains("workers/\(arm).log"), "\(said)")
            #expect(manager.fileExists(atPath: two.appendingPathComponent("workers/\(arm).log").path))
        }
    }

    @Test func aRunOfTwoWorkersResumesWithThemAndRefusesANewWorkerCount() throws {
        let directory = try FusionNASBinary.temporaryDirectory("run-workers-resume")
        let first = try FusionNASBinary.run(["run", "--out", "run", "--workers", "2"] + Self.tiny, in: directory)
        try #require(first.status == 0, "\(first.output)")
        let metrics = directory.appendingPathComponent("run/metrics.jsonl")
        let lines = try String(contentsOf: metrics, encoding: .utf8).split(separator: "\n").count
        let refused = try FusionNASBinary.run(["run", "--resume", "run", "--workers", "2"], in: directory)
        #expect(refused.status == 2 && refused.output.contains("drop --workers"), "\(refused.output)")
        let resumed = try FusionNASBinary.run(["run", "--resume", "run", "--threads", "2"], in: directory)
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.output.contains("worker ssl: ") && resumed.output.contains("resuming"), "\(resumed.output)")
        // The merge replaces the lines of the first merge rather than adding to them.
        #expect(try String(contentsOf: metrics, encoding: .utf8).split(separator: "\n").count == lines)
    }

    /// Every plain file under `directory`, relative, sorted; hidden files (the lock) left out.
    static func files(in directory: URL) throws -> [String] {
        let enumerator = try #require(FileManager.default.enumerator(atPath: directory.path))
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory.appendingPathComponent(path).path, isDirectory: &isDirectory)
            if !isDirectory.boolValue && !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { files.append(path) }
        }
        return files.sorted()
    }

    /// A file's bytes, with only what legitimately differs between the two runs taken out: the
    /// wall-clock `seconds` that `summary.json` and the checkpoints' epoch histories record, and
    /// `workers` in `config.json`. Safetensors tensor bytes are kept whole.
    static func comparable(_ data: Data, file: String) throws -> Data {
        let name = (file as NSString).lastPathComponent
        if name == "summary.json" || name == "config.json" {
            var object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
            object["workers"] = nil
            return try JSONSerialization.data(withJSONObject: withoutSeconds(object), options: [.sortedKeys])
        }
        guard file.hasPrefix("checkpoints/") else { return data }
        // Safetensors: 8-byte little-endian header length, the JSON header, then the tensor bytes.
        let length = Int(data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        var header = try #require(JSONSerialization.jsonObject(with: data.subdata(in: 8..<8 + length)) as? [String: Any])
        if var metadata = header["__metadata__"] as? [String: String] {
            for (key, value) in metadata {
                guard let parsed = try? JSONSerialization.jsonObject(with: Data(value.utf8), options: [.fragmentsAllowed]) else { continue }
                metadata[key] = String(decoding: try JSONSerialization.data(withJSONObject: withoutSeconds(parsed), options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
            }
            header["__metadata__"] = metadata
        }
        return try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]) + data.subdata(in: 8 + length..<data.count)
    }

    static func withoutSeconds(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            return object.filter { $0.key != "seconds" }.mapValues(withoutSeconds)
        }
        if let array = value as? [Any] { return array.map(withoutSeconds) }
        return value
    }
}
