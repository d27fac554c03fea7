import CPluginABI
import Foundation

/// Builds the descriptor a Swift plugin returns from its entry point.
///
/// A Swift plugin is a `.dynamic` library product that depends on the `FusionNAS` product; its
/// components are ordinary Swift types registered into the host's ``ComponentRegistry`` by the
/// `register` closure. ``descriptor(name:version:register:)`` is emitted into the plugin, so the
/// core fingerprint it records is the one the plugin was compiled against (see ``CoreBuild``).
///
/// ```swift
/// import FusionNAS
///
/// @_cdecl("fusionnas_plugin_entry")
/// public func fusionnasPluginEntry() -> UnsafeRawPointer {
///     SwiftPlugin.descriptor(name: "max-fusion", version: "1.0.0") { registry, origin in
///         try registry.register(primitive: PrimitiveFactory(name: "max", origin: origin) { _, _ in MaxFusion() })
///     }
/// }
/// ```
public enum SwiftPlugin {
    /// Registers a plugin's components; `origin` is the library's path, to pass to every factory.
    public typealias Registration = (_ registry: ComponentRegistry, _ origin: ComponentOrigin) throws -> Void

    /// The descriptor for a plugin called `name`; the pointer stays valid for the life of the process.
    @_alwaysEmitIntoClient
    public static func descriptor(
        name: String, version: String, register: @escaping Registration
    ) -> UnsafeRawPointer {
        makeDescriptor(name: name, version: version, fingerprint: CoreBuild.compiledFingerprint, register: register)
    }

    /// Builds the descriptor with an explicit fingerprint; plugins call ``descriptor(name:version:register:)``.
    public static func makeDescriptor(
        name: String, version: String, fingerprint: String, register: @escaping Registration
    ) -> UnsafeRawPointer {
        // Everything here lives as long as the process: the host may read the descriptor at any time
        // and Swift images are never unloaded.
        let context = Unmanaged.passRetained(RegistrationBox(register)).toOpaque()
        let descriptor = UnsafeMutablePointer<fusionnas_plugin_descriptor>.allocate(capacity: 1)
        descriptor.initialize(
            to: fusionnas_plugin_descriptor(
                abi_major: UInt32(FUSIONNAS_PLUGIN_ABI_MAJOR),
                abi_minor: UInt32(FUSIONNAS_PLUGIN_ABI_MINOR),
                struct_size: UInt32(MemoryLayout<fusionnas_plugin_descriptor>.size),
                reserved: 0,
                name: strdup(name),
                version: strdup(version),
                core_fingerprint: strdup(fingerprint),
                init: nil,
                deinit: nil,
                kernel_count: 0,
                kernels: nil,
                register_components: registrationTrampoline,
                register_context: context))
        return UnsafeRawPointer(descriptor)
    }

    /// Holds the Swift closure behind the C descriptor's context pointer.
    final class RegistrationBox {
        let register: Registration
        init(_ register: @escaping Registration) { self.register = register }
    }

    /// The C callback every Swift plugin's descriptor points at; it lives in the host's single copy of the core.
    static let registrationTrampoline: fusionnas_register_fn = { context, registry, path, message, capacity in
        guard let context, let registry, let path else { return FUSIONNAS_ERROR }
        let box = Unmanaged<RegistrationBox>.fromOpaque(context).takeUnretainedValue()
        let host = Unmanaged<ComponentRegistry>.fromOpaque(registry).takeUnretainedValue()
        do {
            try box.register(host, .plugin(String(cString: path)))
            return FUSIONNAS_OK
        } catch {
            writeMessage("\(error)", into: message, capacity: capacity)
            return FUSIONNAS_ERROR
        }
    }

    /// Copies `text` into a C buffer of `capacity` bytes, truncating and NUL-terminating.
    static func writeMessage(_ text: String, into buffer: UnsafeMutablePointer<CChar>?, capacity: Int) {
        guard let buffer, capacity > 0 else { return }
        let bytes = Array(text.utf8.prefix(capacity - 1))
        for (i, byte) in bytes.enumerated() { buffer[i] = CChar(bitPattern: byte) }
        buffer[bytes.count] = 0
    }
}
