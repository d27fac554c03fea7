import Foundation
import Layers
import Tensors

/// A long job that runs epoch by epoch and can be stopped after any epoch and continued later with
/// exactly the result an uninterrupted run gives (the searcher, the trainers).
///
/// A checkpoint holds every tensor that changes (weights, buffers, optimizer moments) and, as JSON
/// in the metadata, the random generator and the history. Dropout layers are reseeded from the
/// stage's generator at every epoch start, so the generator alone determines the rest of the run.
public protocol ResumableStage: AnyObject {
    /// Epochs completed.
    var epoch: Int { get }
    var isFinished: Bool { get }
    /// The state after the last completed epoch.
    func checkpoint() throws -> StageCheckpoint
    /// Restores a state written by ``checkpoint()`` of an identically built stage.
    func restore(_ checkpoint: StageCheckpoint) throws
}

/// Tensors and metadata of one stage's state.
public struct StageCheckpoint {
    public var tensors: [(name: String, tensor: Tensor)]
    public var metadata: [String: String]

    public init(tensors: [(name: String, tensor: Tensor)], metadata: [String: String]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensors by name.
    public var tensorsByName: [String: Tensor] {
        Dictionary(tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
    }

    /// Stores a Codable value as JSON under `key`.
    public mutating func store<T: Encodable>(_ value: T, as key: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        metadata[key] = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Reads the JSON value stored under `key`.
    public func value<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
        guard let text = metadata[key] else { throw ComponentError(.incompatibleCheckpoint, "checkpoint: missing field '\(key)'") }
        do { return try JSONDecoder().decode(type, from: Data(text.utf8)) } catch {
            throw ComponentError(.incompatibleCheckpoint, "checkpoint: field '\(key)' is not valid: \(error)")
        }
    }

    /// Adds every tensor of `module` under `prefix`.
    public mutating func add(_ module: Module, prefix: String) {
        tensors += module.namedTensors().map { (name: prefix + $0.name, tensor: $0.tensor) }
    }

    /// Adds an optimizer's state under `prefix`, in a stable order.
    public mutating func add(_ optimizer: some Optimizer, prefix: String) {
        tensors += optimizer.stateTensors().sorted { $0.key < $1.key }.map { (name: prefix + $0.key, tensor: $0.value) }
    }

    /// Copies the tensors under `prefix` into `module`, refusing missing tensors and shape changes.
    public func load(into module: Module, prefix: String) throws {
        let all = tensorsByName
        for (name, tensor) in module.namedTensors() {
            guard let saved = all[prefix + name] else {
                throw ComponentError(.incompatibleCheckpoint, "checkpoint: no tensor '\(prefix + name)'; was it written by a different configuration?")
            }
            guard saved.shape == tensor.shape else {
                throw ComponentError(.incompatibleCheckpoint, "checkpoint: '\(prefix + name)' has shape \(saved.shape), the model \(tensor.shape)")
            }
            tensor.assign(saved)
        }
    }

    /// Loads the optimizer state stored under `prefix`.
    public func load(into optimizer: some Optimizer, prefix: String) throws {
        var state: [String: Tensor] = [:]
        for (name, tensor) in tensors where name.hasPrefix(prefix) { state[String(name.dropFirst(prefix.count))] = tensor }
        try optimizer.loadState(state)
    }
}

/// Reseeds every dropout layer under `modules` from `rng`, so that a resumed epoch draws the same masks.
public func reseedDropout(in modules: [Module], rng: inout SeededGenerator) {
    for module in modules.flatMap({ $0.modules() }) {
        if let dropout = module as? Dropout { dropout.reseed(rng.next()) }
    }
}
