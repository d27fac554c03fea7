import FusionNAS
import Tensors

/// Registers BM-NAS's search space and primitives, exactly as a plugin would.
public enum BMNASComponents {
    public static let origin = ComponentOrigin.builtIn("BMNAS")

    /// BM-NAS's primitive set: its four plus Zero.
    public static let defaultPrimitives = ["zero", "sum", "scale_dot_attn", "linear_glu", "concat_fc"]
    /// The `fusionnas` space's primitives: BM-NAS's set plus `low_rank_tensor`, a multiplicative
    /// fusion the planted-interaction tests show the search can find.
    public static let projectPrimitives = defaultPrimitives + ["low_rank_tensor"]
    /// The step primitives of BM-NAS's code (`STEP_STEP_PRIMITIVES` in models/search/darts/genotypes.py):
    /// no Zero, no low-rank fusion.
    public static let referencePrimitives = ["sum", "scale_dot_attn", "linear_glu", "concat_fc"]

    public static func register(in registry: ComponentRegistry) throws {
        let primitives: [PrimitiveFactory] = [
            PrimitiveFactory(name: "zero", origin: origin, summary: "no connection (BM-NAS)") { _, _ in ZeroPrimitive() },
            PrimitiveFactory(name: "sum", origin: origin, summary: "x + y (BM-NAS)") { _, _ in SumPrimitive() },
            PrimitiveFactory(name: "scale_dot_attn", origin: origin, summary: "scaled dot-product attention of x over y (BM-NAS)") { c, rng in
                try requireArity(2, c, "scale_dot_attn")
                return ScaleDotAttention(c, rng: &rng)
            },
            PrimitiveFactory(name: "linear_glu", origin: origin, summary: "concat -> 1x1 conv -> BatchNorm -> GLU (BM-NAS)") { c, rng in
                LinearGLU(c, rng: &rng)
            },
            PrimitiveFactory(name: "concat_fc", origin: origin, summary: "concat -> 1x1 conv -> BatchNorm -> ReLU (BM-NAS)") { c, rng in
                ConcatFC(c, rng: &rng)
            },
            PrimitiveFactory(name: "cat_conv_mish", origin: origin, summary: "concat -> 1x1 conv -> BatchNorm -> Mish (BM-NAS code)") { c, rng in
                ConcatFC(c, activation: .mish, rng: &rng)
            },
            PrimitiveFactory(name: "low_rank_tensor", origin: origin, summary: "low-rank multiplicative tensor fusion (Liu et al. 2018); option rank") { c, rng in
                try LowRankTensorFusion(c, rng: &rng)
            },
        ]
        try registry.checkAvailable(
            primitives.map { (.primitive, $0.name) }
                + [(.searchSpace, FusionNASSearchSpace.name), (.searchSpace, BMNASReferenceSearchSpace.name)],
            origin: origin)
        for p in primitives { try registry.register(primitive: p) }
        try registry.register(
            searchSpace: SearchSpaceEntry(
                space: FusionNASSearchSpace(), origin: origin,
                summary: "this project's BM-NAS variant: two searched inputs per cell, steps mixing primitives"))
        try registry.register(
            searchSpace: SearchSpaceEntry(
                space: BMNASReferenceSearchSpace(), origin: origin,
                summary: "BM-NAS as its reference code: {zero, identity} edges, its cells, reshaping and search schedule"))
    }

    static func requireArity(_ n: Int, _ c: PrimitiveConfiguration, _ name: String) throws {
        guard c.arity == n else { throw ComponentError("primitive '\(name)' takes exactly \(n) inputs, configured with \(c.arity)") }
    }
}
