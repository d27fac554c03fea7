import Foundation
import Testing
import Tensors

@testable import Layers

/// A module with a nested child, an array of children and a buffer, like a searched supernet.
private final class StateTestCell: Module, @unchecked Sendable {
    let weight: Tensor
    init(rows: Int) {
        weight = Tensor(shape: [rows, 4], repeating: 1).requiringGrad()
    }
}

private final class StateTestNetwork: Module, @unchecked Sendable {
    let cells: [StateTestCell]
    let runningMean = Tensor(shape: [2], values: [0, 0])
    init(rows: Int = 4) {
        cells = [StateTestCell(rows: rows), StateTestCell(rows: 4)]
    }
}

@Suite struct SerializationModuleStateTests {
    @Test func stateDictionaryUsesTheDottedNamesOfParametersAndBuffers() {
        let names = StateTestNetwork().stateDictionary().map(\.name)
        #expect(names == ["cells.0.weight", "cells.1.weight", "runningMean"])
    }

    @Test func saveThenLoadRestoresEveryValue() throws {
        let directory = try makeSerializationTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        let source = StateTestNetwork()
        source.cells[1].weight.assign(Tensor(shape: [4, 4], values: (0..<16).map(Float.init)))
        source.runningMean.assign(Tensor(shape: [2], values: [0.5, 1.5]))
        try source.saveState(to: url, metadata: ["epoch": "7"])

        let target = StateTestNetwork()
        let metadata = try target.loadState(from: url)
        #expect(metadata == ["epoch": "7"])
        #expect(target.cells[1].weight.values == (0..<16).map(Float.init))
        #expect(target.runningMean.values == [0.5, 1.5])
    }

    @Test func strictLoadingNamesMissingAndUnexpectedKeysAndChangesNothing() {
        let network = StateTestNetwork()
        let checkpoint: [String: Tensor] = [
            "cells.0.weight": Tensor(shape: [4, 4], repeating: 9),
            "cells.1.weight": Tensor(shape: [4, 4], repeating: 9),
            "head.bias": Tensor(shape: [2], repeating: 0),
        ]
        let error = #expect(throws: StateLoadingError.self) { try network.loadState(checkpoint) }
        #expect(error?.missingKeys == ["runningMean"])
        #expect(error?.unexpectedKeys == ["head.bias"])
        #expect(error?.description.contains("missing keys: runningMean") == true)
        #expect(error?.description.contains("unexpected keys: head.bias") == true)
        #expect(network.cells[0].weight.values.allSatisfy { $0 == 1 })
    }

    @Test func lenientLoadingSkipsUnknownKeysButCopiesTheRest() throws {
        let network = StateTestNetwork()
        try network.loadState(
            ["cells.0.weight": Tensor(shape: [4, 4], repeating: 3), "extra": Tensor(shape: [1], repeating: 0)],
            strict: false)
        #expect(network.cells[0].weight.values.allSatisfy { $0 == 3 })
        #expect(network.cells[1].weight.values.allSatisfy { $0 == 1 })
    }

    @Test func shapeMismatchIsReportedWithBothShapesEvenWhenLenient() {
        let network = StateTestNetwork(rows: 4)
        var checkpoint = Dictionary(uniqueKeysWithValues: StateTestNetwork().stateDictionary().map { ($0.name, $0.tensor) })
        checkpoint["cells.0.weight"] = Tensor(shape: [3, 4], repeating: 0)
        let error = #expect(throws: StateLoadingError.self) { try network.loadState(checkpoint, strict: false) }
        #expect(error?.shapeMismatches.map(\.description) == ["cells.0.weight: checkpoint shape [3, 4], model shape [4, 4]"])
    }
}
