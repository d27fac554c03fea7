import FusionNAS

/// `fusion-nas plugins list`: every registered component with kind, name, version and origin.
enum PluginsCommand {
    static let command = Command(
        name: "plugins",
        summary: "List every registered component (built-in and from plugins): plugins list [--plugin PATH ...].",
        options: CommonOptions.general + [PipelineOptions.plugins],
        positionals: [PositionalSpec(name: "action", help: "list")],
        run: { options in
            guard options.positionals.first == "list" else {
                throw UsageError("unknown action '\(options.positionals.first ?? "")'; type: fusion-nas plugins list")
            }
            let registry = try Session.makeRegistry(options)
            var table = MarkdownTable(headers: ["kind", "name", "version", "origin", "summary"])
            for entry in registry.listing() {
                table.addRow([entry.kind.rawValue, entry.name, entry.version, entry.origin.description, entry.summary])
            }
            print(table.render(), terminator: "")
        })
}
