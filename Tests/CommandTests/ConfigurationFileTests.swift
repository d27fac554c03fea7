import Foundation
import Testing

@testable import FusionNASCommand

@Suite struct ConfigurationFileTests {
    private func writeConfig(_ text: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent("config.json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func commandLineOverridesFileWhichOverridesDefaults() throws {
        let directory = try makeCommandTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try writeConfig(
            #"{"epochs": 20, "labels": 0.5, "modalities": ["pix", "fou"], "quiet": true, "plugin": ["a.so"]}"#,
            in: directory)
        let values = try parseValues(["--config", path, "--epochs", "5", "--plugin", "b.so"])
        #expect(values.int("epochs") == 5)
        #expect(values.sources["epochs"] == .commandLine)
        #expect(values.double("labels") == 0.5)
        #expect(values.sources["labels"] == .configurationFile(path))
        #expect(values.list("modalities") == ["pix", "fou"])
        #expect(values.flag("quiet"))
        #expect(values.list("plugin") == ["b.so"])
        #expect(values.int("seed") == 0)
    }

    @Test func unknownKeysAndBadValuesNameTheKeyAndFile() throws {
        let directory = try makeCommandTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let typo = try writeConfig(#"{"epoch": 3}"#, in: directory)
        #expect(usageMessage(["--config", typo]) == "unknown key 'epoch' in configuration file '\(typo)'; did you mean 'epochs'?")
        let bad = try writeConfig(#"{"labels": "ten"}"#, in: directory)
        #expect(
            usageMessage(["--config", bad])
                == "'labels' in configuration file '\(bad)' expects a fraction in (0, 1], e.g. \"labels\": 0.1; got \"ten\"")
        let flag = try writeConfig(#"{"quiet": 1}"#, in: directory)
        #expect(usageMessage(["--config", flag])?.contains("'quiet' in configuration file") == true)
        let notObject = try writeConfig("[1]", in: directory)
        #expect(usageMessage(["--config", notObject]) == "configuration file '\(notObject)' must hold a JSON object of option names and values")
        let broken = try writeConfig("{", in: directory)
        #expect(usageMessage(["--config", broken]) == "configuration file '\(broken)' is not valid JSON: expected a string key at byte 1")
        let nested = try writeConfig(#"{"config": "other.json"}"#, in: directory)
        #expect(usageMessage(["--config", nested])?.hasPrefix("unknown key 'config'") == true)
        #expect(usageMessage(["--config", directory.appendingPathComponent("none.json").path])?.hasPrefix("cannot read configuration file") == true)
    }

    @Test func renderedConfigurationIsSortedJSONThatReadsBackTheSame() throws {
        let directory = try makeCommandTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try parseValues(["--epochs", "4", "--modalities", "pix,fou", "--labels", "0.25", "--plugin", "p.so"])
        let rendered = original.renderedConfiguration()
        let keys = rendered.split(separator: "\n").compactMap { line -> String? in
            guard let start = line.firstIndex(of: "\""), line.hasPrefix("  \"") else { return nil }
            return String(line[line.index(after: start)...].prefix { $0 != "\"" })
        }
        #expect(keys == keys.sorted())
        #expect(!keys.contains("config"))
        #expect(rendered.contains(#""epochs": 4"#))
        #expect(rendered.contains(#""labels": 0.25"#))

        let path = try writeConfig(rendered, in: directory)
        let reloaded = try parseValues(["--config", path])
        #expect(reloaded.configuration == original.configuration)
    }
}
