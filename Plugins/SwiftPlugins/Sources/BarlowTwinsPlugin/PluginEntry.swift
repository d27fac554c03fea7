import FusionNAS

/// The plugin's one exported symbol: its descriptor, with the core fingerprint captured at compile time.
@_cdecl("fusionnas_plugin_entry")
public func fusionnasPluginEntry() -> UnsafeRawPointer {
    SwiftPlugin.descriptor(name: "barlow-twins", version: "1.0.0") { registry, origin in
        try registry.register(
            objective: ObjectiveFactory(
                name: "barlow_twins", version: "1.0.0", origin: origin,
                summary: "Barlow Twins cross-correlation loss (options: lambda 0.0051, epsilon 1e-5)"
            ) { configuration, _ in
                try BarlowTwins(
                    lambda: configuration.value("lambda", default: 0.0051),
                    epsilon: configuration.value("epsilon", default: 1e-5))
            })
    }
}
