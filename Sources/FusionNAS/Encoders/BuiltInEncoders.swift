import Tensors

/// Registers the built-in modality encoders: `mlp` (vectors), `cnn` (images), `conv1d` (sequences),
/// `precomputed` (feature levels).
public enum BuiltInEncoders {
    public static let origin = ComponentOrigin.builtIn("FusionNAS")

    public static func register(in registry: ComponentRegistry) throws {
        try registry.register(
            encoder: EncoderFactory(name: "mlp", origin: origin, summary: "MLP for vectors; each hidden layer is a level") { c, rng in
                try VectorEncoder(c, rng: &rng)
            })
        try registry.register(
            encoder: EncoderFactory(name: "cnn", origin: origin, summary: "small CNN for images; each conv block is a level") { c, rng in
                try ImageEncoder(c, rng: &rng)
            })
        try registry.register(
            encoder: EncoderFactory(name: "conv1d", origin: origin, summary: "small 1-D CNN for sequences; each conv block is a level") { c, rng in
                try SequenceEncoder(c, rng: &rng)
            })
        try registry.register(
            encoder: EncoderFactory(name: "precomputed", origin: origin, summary: "precomputed backbone features used frozen") { c, _ in
                try PrecomputedFeatures(c)
            })
    }
}
