import Foundation

/// A plugin library that ``PluginLoader`` loaded and whose components are now registered.
///
/// ```swift
/// let plugin = try PluginLoader.load(path: "/opt/plugins/libgated_product.so", into: registry)
/// print(plugin.name, plugin.version, plugin.components.map(\.name))
/// ```
public final class LoadedPlugin: @unchecked Sendable, CustomStringConvertible {
    /// The library's absolute path (also every component's ``ComponentOrigin/plugin(_:)``).
    public let path: String
    /// The plugin's name and version from its descriptor.
    public let name: String
    public let version: String
    /// The plugin ABI version the library was compiled with.
    public let abiMajor: Int
    public let abiMinor: Int
    /// The core build the plugin was compiled against; nil for a kernels-only C plugin.
    public let coreFingerprint: String?
    /// The components it registered, in order.
    public let components: [ComponentRegistry.Listing]

    private let deinitHook: (@convention(c) () -> Void)?
    private var isShutDown = false
    private let lock = NSLock()

    init(
        path: String, name: String, version: String, abiMajor: Int, abiMinor: Int, coreFingerprint: String?,
        components: [ComponentRegistry.Listing], deinitHook: (@convention(c) () -> Void)?
    ) {
        self.path = path
        self.name = name
        self.version = version
        self.abiMajor = abiMajor
        self.abiMinor = abiMinor
        self.coreFingerprint = coreFingerprint
        self.components = components
        self.deinitHook = deinitHook
    }

    /// Calls the plugin's `deinit` once. Call it when the registry holding its components is
    /// discarded; the library itself stays mapped, because Swift images cannot be unloaded safely.
    public func shutDown() {
        lock.lock()
        defer { lock.unlock() }
        guard !isShutDown else { return }
        isShutDown = true
        deinitHook?()
    }

    public var description: String {
        "\(name) \(version) (\(path)): \(components.map { "\($0.kind.rawValue) \($0.name)" }.joined(separator: ", "))"
    }
}
