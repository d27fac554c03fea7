import BMNAS
import FusionNAS
import Tensors

/// A registry with the built-in BM-NAS components.
public func bmnasRegistry() throws -> ComponentRegistry {
    let registry = ComponentRegistry()
    try BMNASComponents.register(in: registry)
    try BuiltInEncoders.register(in: registry)
    return registry
}

/// A two-modality configuration small enough for every test: inputs a.0 (5, 3), a.1 (4, 6) and the vector level b.0 (6, 1); C 4, L 3.
public func tinyConfiguration(cells: Int = 2, steps: Int = 1, primitives: [String] = BMNASComponents.defaultPrimitives) -> SearchSpaceConfiguration {
    SearchSpaceConfiguration(
        inputNames: ["a.0", "a.1", "b.0"],
        inputShapes: [.init(channels: 5, length: 3), .init(channels: 4, length: 6), .init(channels: 6, length: 1)],
        channels: 4, length: 3, cells: cells, steps: steps, dropout: 0, primitives: primitives)
}

/// A batch of normal inputs of ``tinyConfiguration(cells:steps:primitives:)``'s shapes.
public func tinyInputs(batch: Int = 3, seed: UInt64 = 1) -> [Tensor] {
    var rng = SeededGenerator(seed: seed)
    return [Tensor.randn([batch, 5, 3], rng: &rng), Tensor.randn([batch, 4, 6], rng: &rng), Tensor.randn([batch, 6, 1], rng: &rng)]
}
