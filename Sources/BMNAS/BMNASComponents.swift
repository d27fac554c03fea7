import FusionNAS
import Tensors

/// Registers BM-NAS's search space and primitives, exactly as a plugin would.
public enum BMNASComponents {
    public static let origin = ComponentOrigin.builtIn("BMNAS")

    /// BM-NAS's primitive set: its four plus Zero. (The pipeline's default adds `low_rank_tensor`;
    /// see `PipelineConfiguration.primitives`.)
    public static let defaultPrimitives = ["zero", "sum", "scale_dot_attn", "linear_glu", "concat_fc"]

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
        try registry.checkAvailable(primitives.map { (.primitive, $0.name) } + [(.searchSpace, BMNASSearchSpace().name)], origin: origin)
        for p in primitives { try registry.register(primitive: p) }
        try registry.register(
            searchSpace: SearchSpaceEntry(
                space: BMNASSearchSpace(), origin: origin,
                summary: "BM-NAS cells: two searched inputs per cell, steps mixing primitives"))
    }

    static func requireArity(_ n: Int, _ c: PrimitiveConfiguration, _ name: String) throws {
        guard c.arity == n else { throw ComponentError("primitive '\(name)' takes exactly \(n) inputs, configured with \(c.arity)") }
    }
}
