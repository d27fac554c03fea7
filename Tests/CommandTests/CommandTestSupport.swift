import Foundation
import Synchronization

@testable import FusionNASCommand

/// Collects what a ``CommandLineTool`` prints, so tests can check help and error text.
final class CapturedOutput: Sendable {
    private let text = Mutex("")
    func append(_ more: String) { text.withLock { $0 += more } }
    var contents: String { text.withLock { $0 } }
}

/// A fresh empty directory under the system temporary directory, unique per call.
func makeCommandTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("fusionnas-command-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A training command's options for parser tests: the pipeline's shared options and an
/// `--epochs` whose default is 10.
let sampleOptions: [OptionSpec] = PipelineOptions.common + [PipelineOptions.epochs(default: 10, help: "Number of training epochs.")]

/// Parses `arguments` against `specs`, expecting values rather than a help request.
func parseValues(_ arguments: [String], specs: [OptionSpec] = sampleOptions) throws -> OptionValues {
    switch try ArgumentParser(specs: specs).parse(arguments) {
    case .values(let values): return values
    case .help: throw UsageError("unexpected help request")
    }
}

/// The message of the usage error that parsing `arguments` throws, or nil if it succeeds.
func usageMessage(_ arguments: [String], specs: [OptionSpec] = sampleOptions) -> String? {
    do {
        _ = try ArgumentParser(specs: specs).parse(arguments)
        return nil
    } catch let error as UsageError {
        return error.message
    } catch {
        return "not a usage error: \(error)"
    }
}
