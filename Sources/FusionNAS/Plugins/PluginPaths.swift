import Foundation

extension PluginLoader {
    /// The environment variable naming directories of plugins to load (separated by ':').
    public static let pathEnvironmentVariable = "FUSIONNAS_PLUGIN_PATH"

    /// The plugin libraries to load, from explicit sources only, in this order: `--plugin PATH`
    /// options, the config file's `plugins` list, then every `*.so` file (sorted by name) in the
    /// directories named by `FUSIONNAS_PLUGIN_PATH`. Nothing is ever picked up from the working
    /// directory implicitly. Duplicates are dropped; a named directory that does not exist is an error.
    ///
    /// ```swift
    /// let paths = try PluginLoader.paths(
    ///     explicit: options.plugins, config: config.plugins, configDirectory: "/etc/fusion-nas")
    /// ```
    ///
    /// - Parameters:
    ///   - explicit: paths given with `--plugin` (relative ones are relative to the working directory,
    ///     as for any command-line path).
    ///   - config: paths from a configuration file's `plugins` list.
    ///   - configDirectory: the configuration file's directory, against which relative `config` paths resolve.
    ///   - environment: the process environment (injectable for tests).
    public static func paths(
        explicit: [String], config: [String] = [], configDirectory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> [String] {
        var result: [String] = []
        var seen = Set<String>()
        func add(_ path: String, relativeTo base: String?) {
            let url = base.map { URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: $0, isDirectory: true)) }
                ?? URL(fileURLWithPath: path)
            let absolute = url.standardizedFileURL.path
            if seen.insert(absolute).inserted { result.append(absolute) }
        }
        for path in explicit { add(path, relativeTo: nil) }
        for path in config { add(path, relativeTo: configDirectory) }
        let directories = (environment[pathEnvironmentVariable] ?? "").split(separator: ":").map(String.init)
        for directory in directories where !directory.isEmpty {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ComponentError("\(pathEnvironmentVariable) names '\(directory)', which is not a directory")
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            for name in names.sorted() where name.hasSuffix(".so") {
                add(name, relativeTo: directory)
            }
        }
        return result
    }

    /// Loads every path in order, stopping at the first refusal (whose error names the library).
    public static func loadAll(paths: [String], into registry: ComponentRegistry) throws -> [LoadedPlugin] {
        try paths.map { try load(path: $0, into: registry) }
    }
}
