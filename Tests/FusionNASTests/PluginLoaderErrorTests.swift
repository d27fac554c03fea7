import Foundation
import Testing

@testable import FusionNAS

/// Every refusal of ``PluginLoader``: a clear message naming the library and the reason, the
/// process still running, and nothing registered.
@Suite struct PluginLoaderErrorTests {
    /// Loads `path` into `registry`, expects a refusal and returns its message.
    func refusal(_ path: String, into registry: ComponentRegistry = ComponentRegistry()) -> String {
        do {
            let plugin = try PluginLoader.load(path: path, into: registry)
            Issue.record("expected \(path) to be refused, but it loaded \(plugin)")
            return ""
        } catch let error as ComponentError {
            return error.message
        } catch {
            Issue.record("expected a ComponentError, got \(error)")
            return ""
        }
    }

    @Test func missingFileIsNamed() {
        let path = PluginFixtures.workDirectory.appendingPathComponent("no-such-plugin.so").path
        let message = refusal(path)
        #expect(message.contains(path) && message.contains("does not exist"), "\(message)")
        #expect(message.contains("--plugin"), "says where paths come from: \(message)")
    }

    /// `dlopen` on a FIFO would wait for a writer forever; the time limit makes that a failure.
    @Test(.timeLimit(.minutes(1))) func namedPipeIsRefusedWithoutOpeningIt() throws {
        let path = PluginFixtures.workDirectory.appendingPathComponent("pipe-\(UUID().uuidString).so").path
        #expect(mkfifo(path, 0o600) == 0)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let message = refusal(path)
        #expect(message.hasPrefix("plugin library '\(path)' is a named pipe (FIFO), not a regular file; give the path of the shared library (.so) itself"), "\(message)")
    }

    @Test func directoryIsRefusedAsADirectory() throws {
        let path = PluginFixtures.workDirectory.appendingPathComponent("plugins-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let message = refusal(path)
        #expect(message.hasPrefix("plugin library '\(path)' is a directory, not a regular file"), "\(message)")
    }

    @Test func textFileIsNotASharedLibrary() throws {
        let path = PluginFixtures.workDirectory.appendingPathComponent("notes-\(UUID().uuidString).so").path
        try "these are notes, not a library\n".write(toFile: path, atomically: true, encoding: .utf8)
        let message = refusal(path)
        #expect(message.contains("cannot load plugin library '\(path)'"), "\(message)")
        // dlerror's own words are included.
        #expect(message.contains("invalid ELF header") || message.contains("file too short"), "\(message)")
    }

    @Test func wrongArchitectureIncludesTheDynamicLinkerReason() throws {
        // A real library whose ELF class byte says 32-bit: what a library for another machine looks like.
        let original = try PluginFixtures.gatedProduct()
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: original)))
        bytes[4] = 1  // EI_CLASS = ELFCLASS32
        let path = PluginFixtures.workDirectory.appendingPathComponent("lib32-\(UUID().uuidString).so").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let message = refusal(path)
        #expect(message.contains("wrong ELF class"), "\(message)")
        #expect(message.contains("built for this machine"), "\(message)")
    }

    @Test func missingEntrySymbol() throws {
        let path = try PluginFixtures.compileC("int not_a_plugin(void) { return 1; }\n", name: "nosymbol")
        let message = refusal(path)
        #expect(message.contains("is not a FusionNAS plugin") && message.contains("fusionnas_plugin_entry"), "\(message)")
        #expect(message.contains(path), "\(message)")
    }

    @Test func abiMajorMismatchNamesBothVersions() throws {
        let source = PluginFixtures.fakePlugin(
            name: "future", fields: [".abi_major = 2", ".abi_minor = 3"], kernels: [PluginFixtures.productKernel("future_op")])
        let path = try PluginFixtures.compileC(source, name: "abi2")
        let registry = ComponentRegistry()
        let message = refusal(path, into: registry)
        #expect(message.contains("ABI 2.3") && message.contains("ABI 1.0"), "\(message)")
        #expect(message.contains(path) && message.contains("major versions differ"), "\(message)")
        #expect(registry.listing().isEmpty)
    }

    @Test func everyKnownMinorHasItsDescriptorSize() {
        // One entry per minor up to the host's.
        #expect(PluginLoader.descriptorSizes.count == PluginLoader.abiMinor + 1)
        #expect(PluginLoader.descriptorSizes == PluginLoader.descriptorSizes.sorted(), "a minor only appends fields")
    }

    @Test func structSizeMismatchIsRefusedBeforeReadingFields() throws {
        // A descriptor claiming 24 bytes: reading `name` would read past it.
        let source = PluginFixtures.fakePlugin(name: "short", fields: [".struct_size = 24"])
        let path = try PluginFixtures.compileC(source, name: "short")
        let message = refusal(path)
        let expected = PluginLoader.descriptorSize(minor: 0)
        #expect(message.contains("descriptor of 24 bytes") && message.contains("expects \(expected) bytes"), "\(message)")
        #expect(message.contains(path) && !message.contains("'short'"), "the name is never read: \(message)")
    }

    @Test func newerMinorWithAppendedFieldsIsAccepted() throws {
        // ABI 1.7 appended fields: the host reads only the 1.0 prefix.
        let size = PluginLoader.descriptorSize(minor: 0) + 16
        let source = PluginFixtures.fakePlugin(
            name: "newer", fields: [".abi_minor = 7", ".struct_size = \(size)"], kernels: [PluginFixtures.productKernel("newer_product")])
        let path = try PluginFixtures.compileC(source, name: "newer")
        let registry = ComponentRegistry()
        let plugin = try PluginLoader.load(path: path, into: registry)
        #expect(plugin.abiMinor == 7)
        #expect(registry.names(of: .primitive) == ["newer_product"])
    }

    @Test func fingerprintMismatchNamesBothBuilds() throws {
        // What a Swift plugin built against another core looks like: a register callback and another fingerprint.
        let other = "fusionnas-core/0.0.9 plugin-abi/1.0 swift/5.10"
        let source = PluginFixtures.fakePlugin(
            name: "stale", fields: [".core_fingerprint = \"\(other)\"", ".register_components = failing_register"])
        let path = try PluginFixtures.compileC(source, name: "stale")
        let message = refusal(path)
        #expect(message.contains(other) && message.contains(CoreBuild.hostFingerprint), "\(message)")
        #expect(message.contains("plugin 'stale' 0.9 (\(path))") && message.contains("rebuild"), "\(message)")
    }

    @Test func swiftComponentsWithoutFingerprintAreRefused() throws {
        let source = PluginFixtures.fakePlugin(name: "anonymous", fields: [".register_components = failing_register"])
        let path = try PluginFixtures.compileC(source, name: "nofingerprint")
        let message = refusal(path)
        #expect(message.contains("declares no core fingerprint"), "\(message)")
    }

    @Test func initErrorMessageIsIncludedAndNothingIsRegistered() throws {
        let source = PluginFixtures.fakePlugin(
            name: "licensed", fields: [".init = failing_init"], kernels: [PluginFixtures.productKernel("licensed_product")])
        let path = try PluginFixtures.compileC(source, name: "initfail")
        let registry = ComponentRegistry()
        let message = refusal(path, into: registry)
        #expect(message.contains("failed to initialise (code 7)"), "\(message)")
        #expect(message.contains("license file /opt/fake/license.key not found"), "\(message)")
        #expect(registry.listing().isEmpty)
    }

    /// An `init` that fills the whole message buffer without a terminating NUL: the host reads the
    /// buffer and no further (it used to read past it until it met a zero byte).
    @Test func initMessageWithoutNULIsReadUpToTheBufferEnd() throws {
        let source = """
            #include <string.h>
            #include "fusionnas_plugin.h"
            static int32_t unterminated_init(char *message, size_t capacity) {
                memset(message, 'x', capacity);
                return FUSIONNAS_ERROR;
            }
            FUSIONNAS_PLUGIN_EXPORT const fusionnas_plugin_descriptor *fusionnas_plugin_entry(void) {
                static const fusionnas_plugin_descriptor d = {
                    FUSIONNAS_PLUGIN_DESCRIPTOR_HEADER, .name = "unterminated", .version = "1.0", .init = unterminated_init };
                return &d;
            }
            """
        let path = try PluginFixtures.compileC(source, name: "unterminated")
        let message = refusal(path)
        #expect(message.hasPrefix("plugin 'unterminated' 1.0 (\(path)) failed to initialise (code 1): "), "\(message)")
        #expect(message.hasSuffix(": " + String(repeating: "x", count: 1024)), "exactly the buffer: \(message.suffix(40))")
    }

    /// A plugin's name, version and message are its own text: control characters in them (a NUL,
    /// an escape sequence, a bell, a line break) are shown as escapes, never sent to the terminal.
    @Test func controlCharactersFromThePluginArePrintedAsEscapes() throws {
        let source = """
            #include <stdio.h>
            #include "fusionnas_plugin.h"
            static int32_t noisy_init(char *message, size_t capacity) {
                snprintf(message, capacity, "bad\\033[2J\\a\\nforged line");
                return 3;
            }
            FUSIONNAS_PLUGIN_EXPORT const fusionnas_plugin_descriptor *fusionnas_plugin_entry(void) {
                static const fusionnas_plugin_descriptor d = {
                    FUSIONNAS_PLUGIN_DESCRIPTOR_HEADER, .name = "odd\\033[31mname", .version = "1.0\\r", .init = noisy_init };
                return &d;
            }
            """
        let path = try PluginFixtures.compileC(source, name: "control")
        let message = refusal(path)
        #expect(
            message == "plugin 'odd\\u{1B}[31mname' 1.0\\u{D} (\(path)) failed to initialise (code 3): bad\\u{1B}[2J\\u{7}\\u{A}forged line",
            "\(message)")
        #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(message)")
    }

    @Test func registerErrorCallsDeinitAndRegistersNothing() throws {
        let source = PluginFixtures.fakePlugin(
            name: "half", fields: [
                ".core_fingerprint = \"\(CoreBuild.hostFingerprint)\"", ".register_components = failing_register",
                ".deinit = counting_deinit",
            ], kernels: [PluginFixtures.productKernel("half_product")])
        let path = try PluginFixtures.compileC(source, name: "registerfail")
        let registry = ComponentRegistry()
        let message = refusal(path, into: registry)
        #expect(message.contains("failed to register its components: cannot register from \(path)"), "\(message)")
        #expect(registry.listing().isEmpty, "the kernel declared next to the failing callback is not registered")
        #expect(try deinitCalls(path) == 1)
    }

    @Test(arguments: [
        (".input_count = 0", "input_count 0 (supported: 1 to 8"),
        (".input_count = 9", "input_count 9 (supported: 1 to 8"),
        (".scalar_count = 9, .scalars = bad_scalar", "scalar_count 9"),
        (".scalar_count = 1, .scalars = bad_scalar", "scalar 'mystery' of type code 9 (supported: 1 float, 2 int64, 3 double)"),
        (".scalar_count = 1, .scalars = 0", "scalar_count 1 but scalars is NULL"),
        (".backward = 0", "a NULL backward kernel"),
    ])
    func unsupportedKernelSignatureIsRefused(override: String, reason: String) throws {
        let source = PluginFixtures.fakePlugin(
            name: "odd", kernels: [PluginFixtures.productKernel("fine_product"), PluginFixtures.productKernel("odd_product", override)])
        let path = try PluginFixtures.compileC(source, name: "signature")
        let registry = ComponentRegistry()
        let message = refusal(path, into: registry)
        #expect(message.contains("kernel primitive 'odd_product' declares an unsupported signature"), "\(message)")
        #expect(message.contains(reason), "\(message)")
        #expect(registry.listing().isEmpty, "the valid kernel beside it is not registered either")
    }

    @Test func duplicateNameNamesBothOriginsAndRegistersNothing() throws {
        let registry = ComponentRegistry()
        try registry.register(
            primitive: PrimitiveFactory(name: "taken", origin: .inProcess("PluginTests")) { _, _ in
                throw ComponentError("never built")
            })
        let source = PluginFixtures.fakePlugin(
            name: "clash", fields: [".deinit = counting_deinit"],
            kernels: [PluginFixtures.productKernel("fresh"), PluginFixtures.productKernel("taken")])
        let path = try PluginFixtures.compileC(source, name: "clash")
        let message = refusal(path, into: registry)
        #expect(message.contains("duplicate primitive 'taken'"), "\(message)")
        #expect(message.contains("in-process (PluginTests)") && message.contains(path), "\(message)")
        #expect(registry.names(of: .primitive) == ["taken"], "'fresh' was not registered half-way")
    }

    @Test func loadingTheSameLibraryTwiceIsADuplicate() throws {
        let registry = ComponentRegistry()
        let path = try PluginFixtures.gatedProduct()
        _ = try PluginLoader.load(path: path, into: registry)
        let message = refusal(path, into: registry)
        #expect(message.contains("already registered by \(path), refused from \(path)"), "\(message)")
        #expect(registry.names(of: .primitive) == ["gated_product"])
    }

    /// Reads the fake plugin's deinit counter (dlopen returns the already-loaded image).
    func deinitCalls(_ path: String) throws -> Int32 {
        let handle = try #require(dlopen(path, RTLD_NOW | RTLD_LOCAL))
        let counter = try #require(dlsym(handle, "test_deinit_calls"))
        return counter.load(as: Int32.self)
    }
}
