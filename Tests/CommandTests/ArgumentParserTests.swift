import Foundation
import Testing

@testable import FusionNASCommand

@Suite struct ArgumentParserTests {
    @Test func defaultsApplyWhenNothingIsGiven() throws {
        let values = try parseValues([])
        #expect(values.int("epochs") == 10)
        #expect(values.double("labels") == 0.1)
        #expect(values.string("dataset") == "uci-mfeat")
        #expect(values.flag("quiet") == false)
        #expect(values.list("plugin") == [])
        #expect(values.optionalList("modalities") == nil)
        #expect(values.optionalInt("threads") == nil)
        #expect(values.url("out") == nil)
        #expect(values.sources["epochs"] == .defaultValue)
    }

    @Test func spaceAndEqualsFormsFlagsListsAndRepeatsAllParse() throws {
        let values = try parseValues([
            "--epochs", "3", "--labels=0.5", "--quiet", "--modalities", "pix,fou", "--plugin", "a.so",
            "--plugin=b.so", "--out", "runs/x", "--seed", "7",
        ])
        #expect(values.int("epochs") == 3)
        #expect(values.double("labels") == 0.5)
        #expect(values.flag("quiet"))
        #expect(values.list("modalities") == ["pix", "fou"])
        #expect(values.list("plugin") == ["a.so", "b.so"])
        #expect(values.url("out")?.path.hasSuffix("runs/x") == true)
        #expect(values.int("seed") == 7)
        #expect(values.sources["epochs"] == .commandLine)
        #expect(values.isExplicit("labels"))
        #expect(!values.isExplicit("dataset"))
    }

    @Test func unknownOptionsSuggestTheClosestName() {
        #expect(usageMessage(["--epoch", "3"]) == "unknown option '--epoch'; did you mean '--epochs'?")
        #expect(usageMessage(["--modalites=pix"]) == "unknown option '--modalites'; did you mean '--modalities'?")
        #expect(usageMessage(["--zzzzzzzzzz"]) == "unknown option '--zzzzzzzzzz'")
        #expect(usageMessage(["-e", "3"]) == "unknown option '-e'")
    }

    @Test func badValuesSayWhatToTypeInstead() {
        #expect(usageMessage(["--labels", "ten"]) == "--labels expects a fraction in (0, 1], e.g. --labels 0.1; got 'ten'")
        #expect(usageMessage(["--labels", "0"]) == "--labels expects a fraction in (0, 1], e.g. --labels 0.1; got '0'")
        #expect(usageMessage(["--epochs", "0"]) == "--epochs expects a whole number ≥ 1, e.g. --epochs 10; got '0'")
        #expect(usageMessage(["--epochs"]) == "--epochs expects a whole number ≥ 1, e.g. --epochs 10; got nothing")
        #expect(usageMessage(["--out", "--quiet"]) == "--out expects a path, e.g. --out runs/first; got nothing")
        #expect(
            usageMessage(["--modalities", "pix,,fou"])
                == "--modalities expects a comma-separated list of names, e.g. --modalities pix,fou; got 'pix,,fou'")
        #expect(usageMessage(["--quiet=yes"]) == "--quiet is a flag and takes no value; write --quiet, not --quiet=yes")
    }

    @Test func repeatedSingleOptionsAndStrayWordsAreRefused() {
        #expect(usageMessage(["--epochs", "3", "--epochs", "4"]) == "--epochs was given twice ('3' and '4'); give it once")
        #expect(usageMessage(["epochs"]) == "unexpected argument 'epochs'; did you mean '--epochs N'?")
        #expect(usageMessage(["banana"]) == "unexpected argument 'banana'; options start with '--'")
    }

    @Test func positionalsAreAssignedAndCounted() throws {
        let parser = ArgumentParser(
            specs: CommonOptions.general, positionals: [PositionalSpec(name: "RUN_DIR", help: "the run to inspect")])
        guard case .values(let values) = try parser.parse(["--quiet", "--", "-odd-name"]) else {
            Issue.record("expected values")
            return
        }
        #expect(values.positionals == ["-odd-name"])
        #expect(throws: UsageError("missing RUN_DIR: the run to inspect")) { try parser.parse(["--quiet"]) }
    }

    @Test func helpIsRecognisedAnywhere() throws {
        let outcome = try ArgumentParser(specs: sampleOptions).parse(["--epochs", "3", "--help"])
        guard case .help = outcome else {
            Issue.record("expected a help request")
            return
        }
    }

    @Test func choiceAndBoundedKindsValidate() throws {
        let specs = [
            OptionSpec(name: "mode", kind: .choice(["fast", "full"]), default: .string("fast"), help: "Mode."),
            OptionSpec(name: "rate", kind: .double(positive: true), default: .double(0.01), help: "Rate."),
            OptionSpec(name: "depth", kind: .int(minimum: 1, maximum: 4), default: .int(2), help: "Depth."),
        ]
        #expect(try parseValues(["--mode", "full", "--rate", "1e-3"], specs: specs).double("rate") == 0.001)
        #expect(usageMessage(["--mode", "slow"], specs: specs) == "--mode expects one of fast, full, e.g. --mode fast; got 'slow'")
        #expect(usageMessage(["--rate", "-1"], specs: specs) == "--rate expects a number > 0, e.g. --rate 0.5; got '-1'")
        #expect(usageMessage(["--depth", "9"], specs: specs) == "--depth expects a whole number from 1 to 4, e.g. --depth 4; got '9'")
    }

    @Test func editDistanceCountsSingleCharacterEdits() {
        #expect(editDistance("epoch", "epochs") == 1)
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("", "abc") == 3)
        #expect(closestMatch(to: "serach", among: ["search", "pretrain"]) == "search")
        #expect(closestMatch(to: "x", among: ["seed"]) == nil)
    }
}
