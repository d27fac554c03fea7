import FusionNAS

/// The plugin's one exported symbol: its descriptor, with the core fingerprint captured at compile time.
@_cdecl("fusionnas_plugin_entry")
public func fusionnasPluginEntry() -> UnsafeRawPointer {
    SwiftPlugin.descriptor(name: "low-rank-fusion", version: "1.0.0") { registry, origin in
        try registry.register(
            primitive: PrimitiveFactory(
                name: "low_rank_fusion", version: "1.0.0", origin: origin,
                summary: "low-rank multimodal fusion (options: rank, default 4)"
            ) { configuration, rng in try LowRankFusion(configuration, rng: &rng) })
    }
}
