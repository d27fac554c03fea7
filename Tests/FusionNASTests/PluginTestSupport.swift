import Foundation
import Testing

/// Builds the example plugins and tiny throw-away C plugins for the plugin tests.
///
/// The Swift plugins are one SwiftPM package (a separate build of the core), so they are built once
/// per test run — `swift build` is incremental across runs — and shared by every test. C plugins are
/// compiled with `cc -shared -fPIC` in milliseconds, each to a fresh path because `dlopen` returns
/// the already-loaded image for a path it has seen.
enum PluginFixtures {
    /// The repository root (this file is Tests/FusionNASTests/PluginTestSupport.swift).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let headerDirectory = repositoryRoot.appendingPathComponent("Sources/CPluginABI/include").path

    /// A directory private to this test process.
    static let workDirectory: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fusionnas-plugin-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Runs a command; returns its exit status and combined output.
    static func run(_ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let log = workDirectory.appendingPathComponent("command-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil), let handle = try? FileHandle(forWritingTo: log) else {
            return (-1, "cannot write \(log.path)")
        }
        process.standardOutput = handle
        process.standardError = handle
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return (-1, "cannot run \(arguments): \(error)")
        }
        try? handle.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output)
    }

    /// The Swift plugins package, built once: the directory holding its libraries, or the build log.
    static let swiftPluginsBuild: Result<URL, PluginFixtureError> = {
        let package = repositoryRoot.appendingPathComponent("Plugins/SwiftPlugins")
        let scratch = package.appendingPathComponent(".build")
        // One `swift build` builds both dynamic library products.
        let build = swiftBuild(package: package, scratch: scratch)
        guard build.status == 0 else {
            return .failure(PluginFixtureError("building Plugins/SwiftPlugins failed:\n\(String(build.output.suffix(3000)))"))
        }
        return .success(scratch.appendingPathComponent("debug"))
    }()

    /// The path of a Swift plugin library product, e.g. `LowRankFusionPlugin`.
    /// Serialises the `swift build`s of packages that depend on this one (the plugins, the example):
    /// run side by side they both read and write the root package's state, which failed once.
    static let buildLock = NSLock()

    /// `swift build` of a package that depends on the root package, one at a time.
    static func swiftBuild(package: URL, scratch: URL) -> (status: Int32, output: String) {
        buildLock.lock()
        defer { buildLock.unlock() }
        return run(["swift", "build", "--package-path", package.path, "--scratch-path", scratch.path])
    }

    static func swiftPlugin(_ product: String) throws -> String {
        let directory = try swiftPluginsBuild.get()
        let path = directory.appendingPathComponent("lib\(product).so").path
        guard FileManager.default.fileExists(atPath: path) else { throw PluginFixtureError("no \(path) after the build") }
        return path
    }

    /// The example C plugin, compiled once with the documented command.
    static let gatedProductBuild: Result<String, PluginFixtureError> = {
        let source = repositoryRoot.appendingPathComponent("Plugins/CGatedProduct/gated_product.c").path
        let output = workDirectory.appendingPathComponent("libgated_product.so").path
        let result = run(["cc", "-shared", "-fPIC", "-I", headerDirectory, source, "-o", output, "-lm"])
        return result.status == 0 ? .success(output) : .failure(PluginFixtureError("cc failed:\n\(result.output)"))
    }()

    static func gatedProduct() throws -> String { try gatedProductBuild.get() }

    /// Compiles `source` into a shared library at a fresh path and returns the path.
    static func compileC(_ source: String, name: String) throws -> String {
        let unique = "\(name)-\(UUID().uuidString.prefix(8))"
        let sourceURL = workDirectory.appendingPathComponent("\(unique).c")
        try source.write(to: sourceURL, atomically: true, encoding: .utf8)
        let output = workDirectory.appendingPathComponent("lib\(unique).so").path
        let result = run(["cc", "-shared", "-fPIC", "-w", "-I", headerDirectory, sourceURL.path, "-o", output, "-lm"])
        guard result.status == 0 else { throw PluginFixtureError("cc failed for \(name):\n\(result.output)\n\(source)") }
        return output
    }

    /// A kernel table entry for the two-input product kernels of ``fakePlugin(name:fields:kernels:)``.
    static func productKernel(_ name: String, _ extra: String = "") -> String {
        """
        { .name = "\(name)", .version = "1.0", .summary = "test product", .input_count = 2,
          .forward = (void *)product_forward, .backward = (void *)product_backward, \(extra) }
        """
    }

    /// C source of a plugin whose descriptor is the default one plus `fields` (later designators win),
    /// with kernel table `kernels` (entries from ``productKernel(_:_:)``).
    static func fakePlugin(name: String, fields: [String] = [], kernels: [String] = []) -> String {
        let table = kernels.isEmpty ? "" : "static const fusionnas_kernel_primitive kernels[] = {\(kernels.joined(separator: ",\n"))};"
        let kernelFields = kernels.isEmpty ? "" : ".kernel_count = \(kernels.count), .kernels = kernels,"
        return """
            #include <stdio.h>
            #include "fusionnas_plugin.h"
            static void product_forward(int64_t b, int64_t c, int64_t l, const float *x, const float *y, float *out) {
                for (int64_t i = 0; i < b * c * l; i++) out[i] = x[i] * y[i];
            }
            static void product_backward(int64_t b, int64_t c, int64_t l, const float *x, const float *y,
                                         const float *out, const float *g, float *gx, float *gy) {
                for (int64_t i = 0; i < b * c * l; i++) { gx[i] = g[i] * y[i]; gy[i] = g[i] * x[i]; }
            }
            FUSIONNAS_PLUGIN_EXPORT int test_deinit_calls = 0;
            static void counting_deinit(void) { test_deinit_calls++; }
            static int32_t failing_init(char *message, size_t capacity) {
                snprintf(message, capacity, "license file /opt/fake/license.key not found");
                return 7;
            }
            static int32_t failing_register(void *context, void *registry, const char *path, char *message, size_t capacity) {
                snprintf(message, capacity, "cannot register from %s", path);
                return FUSIONNAS_ERROR;
            }
            static const fusionnas_scalar_parameter bad_scalar[] = {{ .name = "mystery", .type = 9, .default_value = 0 }};
            \(table)
            FUSIONNAS_PLUGIN_EXPORT const fusionnas_plugin_descriptor *fusionnas_plugin_entry(void) {
                static const fusionnas_plugin_descriptor descriptor = {
                    FUSIONNAS_PLUGIN_DESCRIPTOR_HEADER, .name = "\(name)", .version = "0.9", \(kernelFields)
                    \(fields.joined(separator: ", "))
                };
                return &descriptor;
            }
            """
    }
}

struct PluginFixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
