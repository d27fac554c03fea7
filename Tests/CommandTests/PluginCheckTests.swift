import Foundation
import FusionNAS
import Testing

/// `plugins check` and the same check before every command that loads plugins: a plugin that
/// crashes while loading is reported by name, step and signal, and the tool lives on.
@Suite struct PluginCheckTests {
    static let header = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/CPluginABI/include").path

    /// Compiles `source` into `lib<name>.so` in `directory` and returns its path.
    static func compile(_ source: String, name: String, in directory: URL) throws -> String {
        let sourceURL = directory.appendingPathComponent("\(name).c")
        try source.write(to: sourceURL, atomically: true, encoding: .utf8)
        let library = directory.appendingPathComponent("lib\(name).so").path
        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        cc.arguments = ["cc", "-shared", "-fPIC", "-w", "-I", header, sourceURL.path, "-o", library]
        try cc.run()
        cc.waitUntilExit()
        try #require(cc.terminationStatus == 0, "cc failed for \(name)")
        return library
    }

    /// A plugin named `name` whose descriptor adds `fields`, after the C definitions `definitions`.
    static func plugin(_ name: String, _ definitions: String, fields: String) -> String {
        """
        #include <stdio.h>
        #include <stdlib.h>
        #include "fusionnas_plugin.h"
        \(definitions)
        FUSIONNAS_PLUGIN_EXPORT const fusionnas_plugin_descriptor *fusionnas_plugin_entry(void) {
            static const fusionnas_plugin_descriptor d = {
                FUSIONNAS_PLUGIN_DESCRIPTOR_HEADER, .name = "\(name)", .version = "0.9", \(fields) };
            return &d;
        }
        """
    }

    /// Segfaults in `register_components` (it carries the host's fingerprint, so it gets that far).
    static let crashingRegistration = plugin(
        "crasher",
        """
        static int32_t crashing_register(void *context, void *registry, const char *path, char *message, size_t capacity) {
            volatile int *nowhere = 0;
            *nowhere = 1;
            return FUSIONNAS_OK;
        }
        """,
        fields: ".core_fingerprint = \"\(CoreBuild.hostFingerprint)\", .register_components = crashing_register")

    @Test func aPluginThatCrashesInItsRegistrationIsReportedByName() throws {
        let directory = try FusionNASBinary.temporaryDirectory("plugin-check")
        let crasher = try Self.compile(Self.crashingRegistration, name: "crasher", in: directory)
        let (status, output) = try FusionNASBinary.run(["plugins", "check", crasher], in: directory)
        #expect(status == 1, "\(output)")
        #expect(
            output.contains("failed: plugin 'crasher' 0.9 (\(crasher)) crashed while loading, in its register_components function: signal 11 (Segmentation fault)"),
            "\(output)")
        #expect(output.contains("error: 1 of 1 plugin(s) failed the check"), "\(output)")
    }

    @Test func crashesInConstructorsAndInitAndAnExitAreEachNamed() throws {
        let directory = try FusionNASBinary.temporaryDirectory("plugin-check-kinds")
        let constructor = try Self.compile(
            """
            #include <stdio.h>
            #include <stdlib.h>
            #include "fusionnas_plugin.h"
            __attribute__((constructor)) static void give_up(void) { fprintf(stderr, "licence server unreachable\\n"); abort(); }
            FUSIONNAS_PLUGIN_EXPORT const fusionnas_plugin_descriptor *fusionnas_plugin_entry(void) { return 0; }
            """, name: "constructor", in: directory)
        let initialiser = try Self.compile(
            Self.plugin(
                "bad-init", "static int32_t bad_init(char *m, size_t c) { volatile int *p = 0; return *p; }",
                fields: ".init = bad_init"), name: "badinit", in: directory)
        let quitter = try Self.compile(
            Self.plugin("quitter", "static int32_t quitting_init(char *m, size_t c) { exit(3); }", fields: ".init = quitting_init"),
            name: "quitter", in: directory)
        let (status, output) = try FusionNASBinary.run(
            ["plugins", "check", constructor, "--plugin", initialiser, "--plugin", quitter], in: directory)
        #expect(status == 1, "\(output)")
        #expect(
            output.contains("failed: plugin library '\(constructor)' crashed while loading, in its constructors, while the library was opened (dlopen): signal 6 (Aborted) (it printed: licence server unreachable)"),
            "\(output)")
        #expect(output.contains("failed: plugin 'bad-init' 0.9 (\(initialiser)) crashed while loading, in its init function: signal 11"), "\(output)")
        #expect(output.contains("failed: plugin 'quitter' 0.9 (\(quitter)) ended the process while loading, in its init function, with exit status 3"), "\(output)")
        #expect(output.contains("error: 3 of 3 plugin(s) failed the check"), "\(output)")
    }

    @Test func aGoodPluginPassesAndARefusalIsTheLoadersMessage() throws {
        let directory = try FusionNASBinary.temporaryDirectory("plugin-check-good")
        let good = try EndToEndTests.buildGatedProduct(in: directory).path
        let missing = directory.appendingPathComponent("libmissing.so").path
        let ok = try FusionNASBinary.run(["plugins", "check", good], in: directory)
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.contains("ok: gated-product 1.0.0 (\(good)): primitive gated_product"), "\(ok.output)")
        let refused = try FusionNASBinary.run(["plugins", "check", good, "--plugin", missing], in: directory)
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.output.contains("failed: plugin library '\(missing)' does not exist"), "\(refused.output)")
        let nothing = try FusionNASBinary.run(["plugins", "check"], in: directory)
        #expect(nothing.status == 2, "\(nothing.output)")
        #expect(nothing.output.contains("plugins check needs a plugin"), "\(nothing.output)")
    }

    /// The same check runs before a command loads its plugins: the run stops at once, by name,
    /// and leaves no run directory.
    @Test func aRunWithACrashingPluginStopsBeforeItStarts() throws {
        let directory = try FusionNASBinary.temporaryDirectory("plugin-check-run")
        let crasher = try Self.compile(Self.crashingRegistration, name: "crasher", in: directory)
        for arguments in [["search", "--epochs", "1", "--out", "r"], ["plugins", "list"]] {
            let (status, output) = try FusionNASBinary.run(arguments + ["--plugin", crasher], in: directory)
            #expect(status == 1, "\(arguments): \(output)")
            #expect(
                output.contains("error: plugin 'crasher' 0.9 (\(crasher)) crashed while loading, in its register_components function: signal 11"),
                "\(arguments): \(output)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("r").path))
        }
    }
}
