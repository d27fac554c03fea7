/// Identifies the build of the FusionNAS core, so that a Swift plugin compiled against one core is
/// never run inside another.
///
/// Swift has no stable ABI on Linux: a plugin is only safe in a host built from the same core
/// sources by the same compiler. ``compiledFingerprint`` is emitted *into the client* — its string
/// literal is copied into every plugin at the plugin's compile time — while ``hostFingerprint`` is
/// the value compiled into the running core. ``PluginLoader`` compares the two.
///
/// The fingerprint combines the plugin ABI version, ``coreVersion`` and the Swift compiler version.
/// **Rule:** bump ``coreVersion`` (and the literal inside ``compiledFingerprint``) whenever a public
/// type, protocol requirement, class layout or function signature of Tensors, Layers or FusionNAS
/// changes; the ABI version changes only with `fusionnas_plugin.h`; the compiler part changes by itself.
///
/// ```swift
/// // In a plugin: captured when the plugin is compiled.
/// let mine = CoreBuild.compiledFingerprint
/// // In the host: the running core.
/// if mine != CoreBuild.hostFingerprint { /* refuse */ }
/// ```
public enum CoreBuild {
    /// The core's version; part of the fingerprint (see the rule above).
    public static let coreVersion = "0.1.0"

    /// The fingerprint of the core the *caller* was compiled against (inlined into the caller).
    ///
    /// Only literals may appear in this body: a reference to a stored constant would be read from the
    /// host at run time and defeat the check.
    @_alwaysEmitIntoClient
    public static var compiledFingerprint: String {
        // Keep "0.1.0" equal to `coreVersion` and "1.0" equal to FUSIONNAS_PLUGIN_ABI_MAJOR.MINOR.
        #if compiler(>=6.4)
            "fusionnas-core/0.1.0 plugin-abi/1.0 swift/>=6.4"
        #elseif compiler(>=6.3.1)
            "fusionnas-core/0.1.0 plugin-abi/1.0 swift/6.3.1"
        #elseif compiler(>=6.3)
            "fusionnas-core/0.1.0 plugin-abi/1.0 swift/6.3"
        #elseif compiler(>=6.2)
            "fusionnas-core/0.1.0 plugin-abi/1.0 swift/6.2"
        #elseif compiler(>=6.1)
            "fusionnas-core/0.1.0 plugin-abi/1.0 swift/6.1"
        #else
            "fusionnas-core/0.1.0 plugin-abi/1.0 swift/6.0"
        #endif
    }

    /// The fingerprint of the running core (not inlinable, so it is always the host's value).
    public static var hostFingerprint: String { compiledFingerprint }
}
