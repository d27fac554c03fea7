import Foundation
import Testing

@testable import FusionNASCommand

/// A clock the test moves by hand.
private final class FakeClock {
    var now = 100.0
}

@Suite struct ProgressReporterTests {
    private func makeReporter(_ style: ProgressReporter.Style, verbosity: Verbosity = .normal)
        -> (ProgressReporter, CapturedOutput, FakeClock)
    {
        let output = CapturedOutput()
        let clock = FakeClock()
        let reporter = ProgressReporter(
            verbosity: verbosity, style: style, interval: 10, write: output.append, clock: { clock.now })
        return (reporter, output, clock)
    }

    @Test func plainLinesAreThrottledAndShowRateAndETA() {
        let (reporter, output, clock) = makeReporter(.lines)
        reporter.start("search", total: 100)
        clock.now += 2
        reporter.advance(by: 20, status: "loss 0.5")  // first line: nothing printed before
        clock.now += 2
        reporter.advance(by: 20)  // within 10 s of the last line: silent
        clock.now += 9
        reporter.advance(by: 10)
        let lines = output.contents.split(separator: "\n").map(String.init)
        #expect(lines == [
            "search: 20/100 (20%)  10 it/s  ETA 0:08  loss 0.5",
            "search: 50/100 (50%)  3.85 it/s  ETA 0:13  loss 0.5",
        ])
        #expect(!output.contents.contains("\r"))
    }

    @Test func milestonesAndCompletionAlwaysPrint() {
        let (reporter, output, clock) = makeReporter(.lines)
        reporter.start("train", total: 4)
        reporter.milestone("epoch 1/2  loss 0.9")
        clock.now += 1
        reporter.advance(by: 4)
        reporter.finish("done")
        #expect(output.contents == "epoch 1/2  loss 0.9\ntrain: 4/4 (100%)  4.00 it/s  ETA 0:00\ndone\n")
    }

    @Test func terminalStyleRedrawsOneLineAndKeepsMessagesAboveIt() {
        let (reporter, output, clock) = makeReporter(.terminal)
        reporter.start("search", total: 10)
        clock.now += 1
        reporter.advance(by: 5)
        reporter.warn("learning rate is very high")
        reporter.finish()
        let text = output.contents
        #expect(text.contains("\r\u{1B}[Ksearch [############------------]  5/10  5.00 it/s  ETA 0:01"))
        #expect(text.contains("\r\u{1B}[Kwarning: learning rate is very high\n"))
        #expect(text.hasSuffix("\r\u{1B}[K"))
    }

    @Test func quietShowsOnlyWarningsAndVerboseShowsDetail() {
        let (quiet, quietOutput, _) = makeReporter(.lines, verbosity: .quiet)
        quiet.start("search", total: 1)
        quiet.advance()
        quiet.info("info")
        quiet.detail("detail")
        quiet.milestone("epoch")
        quiet.warn("careful")
        #expect(quietOutput.contents == "warning: careful\n")

        let (verbose, verboseOutput, _) = makeReporter(.lines, verbosity: .verbose)
        verbose.info("info")
        verbose.detail("detail")
        #expect(verboseOutput.contents == "info\ndetail\n")
        let (normal, normalOutput, _) = makeReporter(.lines)
        normal.detail("detail")
        #expect(normalOutput.contents.isEmpty)
    }

    @Test func verbosityComesFromFlagsAndRefusesBoth() throws {
        #expect(try Verbosity(parseValues(["--quiet"])) == .quiet)
        #expect(try Verbosity(parseValues(["--verbose"])) == .verbose)
        #expect(try Verbosity(parseValues([])) == .normal)
        #expect(throws: UsageError("--quiet and --verbose cannot be used together; choose one")) {
            try Verbosity(parseValues(["--quiet", "--verbose"]))
        }
    }

    @Test func durationsFormatAsClockTimes() {
        #expect(ProgressReporter.duration(4) == "0:04")
        #expect(ProgressReporter.duration(750) == "12:30")
        #expect(ProgressReporter.duration(3723) == "1:02:03")
        #expect(ProgressReporter.duration(.infinity) == "0:00")
    }
}
