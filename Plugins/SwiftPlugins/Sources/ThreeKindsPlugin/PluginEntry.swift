import FusionNAS

/// The plugin's one exported symbol: its descriptor, with the core fingerprint captured at compile time.
///
/// It registers one component of each kind the pipeline chooses by name besides primitives and
/// objectives, so that one command uses all three:
///
///     fusion-nas run --plugin libThreeKindsPlugin.so --search-space fusionnas_light --modalities fou,kar \
///         --encoders fou=residual_mlp,kar=residual_mlp --augmentations random_scaling:spread=0.3,gaussian_noise
@_cdecl("fusionnas_plugin_entry")
public func fusionnasPluginEntry() -> UnsafeRawPointer {
    SwiftPlugin.descriptor(name: "three-kinds", version: "1.0.0") { registry, origin in
        try registry.register(
            encoder: EncoderFactory(
                name: ResidualMLPEncoder.name, version: "1.0.0", origin: origin,
                summary: "residual GELU MLP for vectors; each residual state is a level"
            ) { configuration, rng in try ResidualMLPEncoder(configuration, rng: &rng) })
        try registry.register(
            augmentation: AugmentationFactory(
                name: RandomScaling.name, version: "1.0.0", origin: origin,
                summary: "multiplies each element by a factor in [1 - spread, 1 + spread] (options: spread 0.2)"
            ) { options, _ in try RandomScaling(options: options) })
        try registry.register(
            searchSpace: SearchSpaceEntry(
                space: LightSearchSpace(), version: "1.0.0", origin: origin,
                summary: "fusionnas cells over sum, linear_glu and concat_fc by default"))
    }
}
