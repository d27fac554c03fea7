import FusionNAS

/// `fusion-nas plugins list`: every registered component with kind, name, version and origin;
/// `fusion-nas plugins check`: loads each plugin in a child process and says whether it loads.
enum PluginsCommand {
    static let command = Command(
        name: "plugins",
        summary: "List every registered component (built-in and from plugins): plugins list [--plugin PATH ...]; or check that plugins load, each in a separate process: plugins check [PATH] [--plugin PATH ...].",
        discussion: """
            check loads each plugin (PATH, --plugin, the config's plugins list and \
            FUSIONNAS_PLUGIN_PATH) in a child process, so that one that crashes while loading is \
            reported by name, with the step and the signal, instead of ending the tool. Every command \
            that loads plugins makes the same check first. Exit status 1 when any plugin fails.
            """,
        options: CommonOptions.general + [PipelineOptions.plugins],
        positionals: [
            PositionalSpec(name: "action", help: "list or check"),
            PositionalSpec(name: "PATH", help: "check: a plugin library to check (besides --plugin)", optional: true),
        ],
        run: { options in
            let action = options.positionals.first ?? ""
            switch action {
            case "list":
                guard options.positionals.count == 1 else {
                    throw UsageError("plugins list takes no PATH; give plugins with --plugin PATH")
                }
                let registry = try Session.makeRegistry(options)
                var table = MarkdownTable(headers: ["kind", "name", "version", "origin", "summary"])
                for entry in registry.listing() {
                    table.addRow([entry.kind.rawValue, entry.name, entry.version, entry.origin.description, entry.summary])
                }
                print(table.render(), terminator: "")
            case "check":
                try check(options)
            case "probe":
                // The child side of a check (PluginProbe); not in the help.
                guard options.positionals.count == 2 else { throw UsageError("plugins probe needs one PATH") }
                try PluginProbe.runChild(path: options.positionals[1])
            default:
                throw UsageError("unknown action '\(action)'; type: fusion-nas plugins list, or fusion-nas plugins check PATH")
            }
        })

    /// Checks every named plugin, each in its own child process, and prints one line per plugin.
    static func check(_ options: OptionValues) throws {
        let explicit = options.positionals.dropFirst().map { $0 }
        var paths = try PluginLoader.paths(explicit: explicit)
        for path in try Session.pluginPaths(options) where !paths.contains(path) { paths.append(path) }
        guard !paths.isEmpty else {
            throw UsageError("plugins check needs a plugin: fusion-nas plugins check PATH, or --plugin PATH")
        }
        var failures = 0
        for path in paths {
            do {
                let loaded: String
                if let executable = PluginProbe.executable {
                    loaded = try PluginProbe.check(path: path, executable: executable)
                } else {
                    // Inside another program there is no executable to re-run: load it here.
                    loaded = "\(try PluginLoader.load(path: path, into: try Session.builtInRegistry()))"
                }
                print("ok: \(loaded)")
            } catch {
                failures += 1
                print("failed: \(error)")
            }
        }
        if failures > 0 {
            throw ComponentError("\(failures) of \(paths.count) plugin(s) failed the check; see above")
        }
    }
}
