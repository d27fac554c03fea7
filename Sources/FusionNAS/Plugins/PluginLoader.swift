import CPluginABI
import Foundation
import Layers
import Tensors

/// Loads plugin libraries into a ``ComponentRegistry``.
///
/// A plugin exports one C symbol, `fusionnas_plugin_entry`, returning a versioned
/// `fusionnas_plugin_descriptor` (Sources/CPluginABI/include/fusionnas_plugin.h). Loading checks, in
/// order: the file exists and is a regular file (`dlopen` would block on a FIFO); `dlopen` accepts
/// it; the entry symbol exists; the ABI major version and the descriptor's size match (before any
/// other field is read); the core fingerprint matches; every C kernel signature is supported;
/// `init` succeeds; every component name is free. Each failure throws a ``ComponentError`` naming the library and the reason, and registers nothing.
///
/// ```swift
/// let registry = ComponentRegistry()
/// for path in try PluginLoader.paths(explicit: ["./libgated_product.so"]) {
///     let plugin = try PluginLoader.load(path: path, into: registry)
///     print("loaded \(plugin)")
/// }
/// ```
///
/// A refused library stays mapped (Swift images cannot be unloaded safely) but nothing in it runs again.
public enum PluginLoader {
    /// The symbol every plugin exports.
    public static let entrySymbol = FUSIONNAS_PLUGIN_ENTRY_SYMBOL
    /// The plugin ABI version of this host.
    public static let abiMajor = Int(FUSIONNAS_PLUGIN_ABI_MAJOR)
    public static let abiMinor = Int(FUSIONNAS_PLUGIN_ABI_MINOR)

    /// Loads the plugin at `path` and registers all its components in `registry`, or none of them.
    ///
    /// - Parameter step: told before each step that runs the plugin's own code, so that a process
    ///   loading the plugin for a check can say where it crashed (see ``PluginLoadStep``).
    public static func load(
        path: String, into registry: ComponentRegistry, step: (PluginLoadStep) -> Void = { _ in }
    ) throws -> LoadedPlugin {
        let path = URL(fileURLWithPath: path).standardizedFileURL.path
        switch PluginFileKind(path: path) {
        case .regularFile: break
        case .missing:
            throw ComponentError(
                .pluginRefused(path: path),
                "plugin library '\(path)' does not exist; check the --plugin path, the config's plugins list or \(pathEnvironmentVariable)")
        case .other(let kind):
            throw ComponentError(
                .pluginRefused(path: path),
                "plugin library '\(path)' is \(kind), not a regular file; give the path of the shared library (.so) itself with --plugin, in the config's plugins list or in a directory of \(pathEnvironmentVariable)")
        }
        // RTLD_NOW: an unresolved symbol fails here, not later in the middle of a search.
        // RTLD_LOCAL: plugins cannot see each other; they bind to the host's exported core.
        step(.opening)
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw ComponentError(
                .pluginRefused(path: path),
                "cannot load plugin library '\(path)': \(lastDynamicLinkerError()); it must be a shared library built for this machine (\(machineDescription)) by `cc -shared -fPIC` or `swift build --product ...`")
        }
        guard let entryAddress = dlsym(handle, entrySymbol) else {
            throw ComponentError(
                .pluginRefused(path: path),
                "'\(path)' is not a FusionNAS plugin: it does not export the C symbol '\(entrySymbol)' (\(lastDynamicLinkerError()))")
        }
        let entry = unsafeBitCast(entryAddress, to: (@convention(c) () -> UnsafeRawPointer?).self)
        step(.callingEntry)
        guard let raw = entry() else {
            throw ComponentError(.pluginRefused(path: path), "plugin library '\(path)': \(entrySymbol)() returned NULL instead of a descriptor")
        }
        let descriptor = try checkedDescriptor(raw, path: path)
        return try install(descriptor, path: path, into: registry, step: step)
    }

    /// Reads the version header, then binds the descriptor only if its layout is the one this host knows.
    static func checkedDescriptor(_ raw: UnsafeRawPointer, path: String) throws -> fusionnas_plugin_descriptor {
        let major = Int(raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        let minor = Int(raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let size = Int(raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        let hostSize = MemoryLayout<fusionnas_plugin_descriptor>.size
        guard major == abiMajor else {
            throw ComponentError(
                .incompatiblePlugin(path: path),
                "plugin library '\(path)' uses plugin ABI \(major).\(minor), but this FusionNAS uses ABI \(abiMajor).\(abiMinor): the major versions differ, so the descriptor cannot be read; rebuild the plugin against this FusionNAS's fusionnas_plugin.h")
        }
        // Same minor: exactly the host's layout. Newer minor: the host's layout plus appended fields it ignores.
        let sizeAcceptable = minor <= abiMinor ? size == descriptorSize(minor: minor) : size >= hostSize
        guard sizeAcceptable else {
            throw ComponentError(
                .incompatiblePlugin(path: path),
                "plugin library '\(path)' declares a descriptor of \(size) bytes for plugin ABI \(major).\(minor), but this FusionNAS (ABI \(abiMajor).\(abiMinor)) expects \(minor <= abiMinor ? descriptorSize(minor: minor) : hostSize) bytes: it was compiled with a different fusionnas_plugin.h; rebuild it")
        }
        return raw.loadUnaligned(as: fusionnas_plugin_descriptor.self)
    }

    /// The descriptor size of each minor version this host knows, indexed by minor: ABI 1.0 is the
    /// first, and so far the only, layout. A new minor appends fields, so its entry is the new
    /// `MemoryLayout` size and the older entries stay as they were (the host still reads them).
    static let descriptorSizes: [Int] = [MemoryLayout<fusionnas_plugin_descriptor>.size]

    /// The descriptor size of ABI 1.`minor`.
    ///
    /// - Precondition: `0 <= minor <= abiMinor`.
    static func descriptorSize(minor: Int) -> Int {
        precondition(descriptorSizes.indices.contains(minor), "no descriptor size recorded for plugin ABI 1.\(minor)")
        return descriptorSizes[minor]
    }

    /// Validates the rest of the descriptor, runs `init` and registers everything, or throws with nothing registered.
    static func install(
        _ d: fusionnas_plugin_descriptor, path: String, into registry: ComponentRegistry,
        step: (PluginLoadStep) -> Void = { _ in }
    ) throws -> LoadedPlugin {
        guard let rawName = d.name, !String(cString: rawName).isEmpty else {
            throw ComponentError(.pluginRefused(path: path), "plugin library '\(path)': its descriptor has no name")
        }
        // Printable forms: a name is the plugin's own text and ends up in messages and listings.
        let name = printable(String(cString: rawName))
        let version = d.version.map { printable(String(cString: $0)) } ?? "unversioned"
        let label = "plugin '\(name)' \(version) (\(path))"
        let origin = ComponentOrigin.plugin(path)

        let fingerprint = d.core_fingerprint.map { String(cString: $0) }
        if let fingerprint, fingerprint != CoreBuild.hostFingerprint {
            throw ComponentError(
                .incompatiblePlugin(path: path),
                "\(label) was built against core '\(fingerprint)', but this FusionNAS is '\(CoreBuild.hostFingerprint)': rebuild the plugin against this FusionNAS checkout with the same Swift toolchain")
        }
        if d.register_components != nil && fingerprint == nil {
            throw ComponentError(
                .incompatiblePlugin(path: path),
                "\(label) registers Swift components but declares no core fingerprint; build it with SwiftPlugin.descriptor(name:version:register:)")
        }

        let kernels = try foreignKernels(d, label: label, path: path)
        try registry.checkAvailable(kernels.map { (.primitive, $0.name) }, origin: origin)

        if let initialize = d.`init` {
            step(.initialising(name: name, version: version))
            var message = [CChar](repeating: 0, count: 1024)
            let code = initialize(&message, message.count)
            guard code == FUSIONNAS_OK else {
                throw ComponentError(.pluginRefused(path: path), "\(label) failed to initialise (code \(code)): \(cString(message))")
            }
        }
        do {
            // Swift components go to a staging registry first so that a clash registers nothing.
            let staging = ComponentRegistry()
            for kernel in kernels {
                try staging.register(primitive: kernelFactory(kernel, origin: origin))
            }
            if let register = d.register_components {
                step(.registering(name: name, version: version))
                var message = [CChar](repeating: 0, count: 1024)
                let code = withExtendedLifetime(staging) {
                    register(d.register_context, Unmanaged.passUnretained(staging).toOpaque(), path, &message, message.count)
                }
                guard code == FUSIONNAS_OK else {
                    throw ComponentError(.pluginRefused(path: path), "\(label) failed to register its components: \(cString(message))")
                }
            }
            let staged = staging.listing()
            try registry.checkAvailable(staged.map { ($0.kind, $0.name) }, origin: origin)
            try transfer(staged, from: staging, to: registry, origin: origin)
            return LoadedPlugin(
                path: path, name: name, version: version, abiMajor: abiMajor, abiMinor: Int(d.abi_minor),
                coreFingerprint: fingerprint, components: registry.listing().filter { entry in
                    staged.contains { $0.kind == entry.kind && $0.name == entry.name }
                }, deinitHook: d.deinit)
        } catch {
            d.deinit?()
            throw error
        }
    }

    /// Reads and prepares every C kernel of the descriptor; an unsupported declaration is refused.
    static func foreignKernels(_ d: fusionnas_plugin_descriptor, label: String, path: String) throws -> [ForeignKernel] {
        guard d.kernel_count >= 0, d.kernel_count == 0 || d.kernels != nil else {
            throw ComponentError(.pluginRefused(path: path), "\(label) declares \(d.kernel_count) kernel primitives but no kernel table")
        }
        return try (0..<Int(d.kernel_count)).map { (index: Int) throws -> ForeignKernel in
            let declared = d.kernels[index]
            let kernelName = declared.name.map { printable(String(cString: $0)) } ?? "#\(index)"
            let signature: KernelSignature
            do {
                signature = try KernelSignature(declared)
            } catch {
                throw ComponentError(
                    .pluginRefused(path: path),
                    "\(label): kernel primitive '\(kernelName)' declares an unsupported signature: \((error as? KernelSignatureError)?.reason ?? "\(error)"); see fusionnas_plugin.h")
            }
            guard declared.name != nil,
                let forward = declared.forward.flatMap({ ForeignFunction(address: $0, arguments: signature.forwardArguments) }),
                let backward = declared.backward.flatMap({ ForeignFunction(address: $0, arguments: signature.backwardArguments) })
            else {
                throw ComponentError(
                    .pluginRefused(path: path),
                    "\(label): kernel primitive '\(kernelName)' declares an unsupported signature: \(declared.name == nil ? "it has no name" : "libffi cannot prepare the call")")
            }
            return ForeignKernel(
                name: kernelName, version: declared.version.map { printable(String(cString: $0)) } ?? "1.0",
                summary: declared.summary.map { printable(String(cString: $0)) } ?? "C kernel primitive from \(label)",
                signature: signature, forward: forward, backward: backward)
        }
    }

    static func kernelFactory(_ kernel: ForeignKernel, origin: ComponentOrigin) -> PrimitiveFactory {
        PrimitiveFactory(name: kernel.name, version: kernel.version, origin: origin, summary: kernel.summary) {
            configuration, _ in try ForeignKernelPrimitive(kernel: kernel, configuration: configuration)
        }
    }

    /// Moves staged components into `registry`, recording `origin` whatever the plugin wrote.
    static func transfer(
        _ staged: [ComponentRegistry.Listing], from staging: ComponentRegistry, to registry: ComponentRegistry,
        origin: ComponentOrigin
    ) throws {
        func rehomed<C, P>(_ f: ComponentFactory<C, P>) -> ComponentFactory<C, P> {
            ComponentFactory(name: f.name, version: f.version, origin: origin, summary: f.summary, make: f.make)
        }
        for entry in staged {
            switch entry.kind {
            case .primitive: try registry.register(primitive: rehomed(staging.primitive(named: entry.name)))
            case .objective: try registry.register(objective: rehomed(staging.objective(named: entry.name)))
            case .encoder: try registry.register(encoder: rehomed(staging.encoder(named: entry.name)))
            case .augmentation: try registry.register(augmentation: rehomed(staging.augmentation(named: entry.name)))
            case .searchSpace:
                try registry.register(
                    searchSpace: SearchSpaceEntry(
                        space: staging.searchSpace(named: entry.name), version: entry.version, origin: origin,
                        summary: entry.summary))
            }
        }
    }

    /// The text a plugin wrote into a message buffer, up to its first NUL or the end of the buffer
    /// (a plugin that fills the buffer without a terminating NUL must not make the host read past
    /// it), in ``printable(_:)`` form.
    static func cString(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return printable(String(decoding: bytes, as: UTF8.self))
    }

    /// `text` with every control character (a NUL, an escape sequence, a bell, a line break)
    /// written as `\u{XX}`: what a plugin wrote is printed to the user's terminal and log, where
    /// such characters would cut the message short, recolour or clear the screen, or forge lines.
    public static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func lastDynamicLinkerError() -> String {
        dlerror().map { String(cString: $0) } ?? "no reason given by the dynamic linker"
    }

    static var machineDescription: String {
        #if arch(x86_64)
            "x86_64 Linux"
        #elseif arch(arm64)
            "aarch64 Linux"
        #else
            "this architecture"
        #endif
    }
}
