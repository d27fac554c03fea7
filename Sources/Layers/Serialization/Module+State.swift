import Foundation
import Tensors

extension Module {
    /// Every parameter and buffer with its stable dotted name, ready for ``Safetensors/write(_:metadata:to:)``.
    public func stateDictionary() -> [(name: String, tensor: Tensor)] {
        namedTensors()
    }

    /// Copies checkpoint values into this module's tensors by name.
    ///
    /// Nothing is copied unless everything fits, so a failed load leaves the module untouched.
    /// - Parameter strict: when true, keys missing from the checkpoint or unknown to the module are
    ///   errors; when false they are skipped. Shape mismatches are always errors.
    /// - Throws: ``StateLoadingError`` listing every missing key, unexpected key and shape mismatch.
    public func loadState(_ tensors: [String: Tensor], strict: Bool = true) throws {
        let own = namedTensors()
        let ownNames = Set(own.map(\.name))
        let missing = own.map(\.name).filter { tensors[$0] == nil }
        let unexpected = tensors.keys.filter { !ownNames.contains($0) }.sorted()
        let mismatches = own.compactMap { name, tensor -> StateLoadingError.ShapeMismatch? in
            guard let loaded = tensors[name], loaded.shape != tensor.shape else { return nil }
            return StateLoadingError.ShapeMismatch(name: name, checkpointShape: loaded.shape, modelShape: tensor.shape)
        }
        if !mismatches.isEmpty || (strict && !(missing.isEmpty && unexpected.isEmpty)) {
            throw StateLoadingError(
                missingKeys: strict ? missing : [], unexpectedKeys: strict ? unexpected : [],
                shapeMismatches: mismatches)
        }
        for (name, tensor) in own {
            if let loaded = tensors[name] { tensor.assign(loaded) }
        }
    }

    /// Saves ``stateDictionary()`` as a safetensors file, atomically.
    public func saveState(to url: URL, metadata: [String: String] = [:]) throws {
        try Safetensors.write(stateDictionary(), metadata: metadata, to: url)
    }

    /// Loads a safetensors file written by ``saveState(to:metadata:)`` and returns its metadata.
    @discardableResult
    public func loadState(from url: URL, strict: Bool = true) throws -> [String: String] {
        let (tensors, metadata) = try Safetensors.read(from: url)
        do {
            try loadState(tensors, strict: strict)
        } catch var error as StateLoadingError {
            error.file = url
            throw error
        }
        return metadata
    }
}
