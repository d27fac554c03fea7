import FusionNAS

/// The `fusion-nas` command-line tool: a thin layer that parses options, wires the pipeline and prints.
public enum FusionNASCommand {
    /// Every subcommand, in help order.
    public static let tool = CommandLineTool(
        name: "fusion-nas",
        summary: "Find multimodal fusion architectures without labels (self-supervised DARTS over BM-NAS cells).",
        commands: [
            RunCommand.command, StageCommands.search, StageCommands.pretrain, StageCommands.finetune,
            StageCommands.evaluate, SweepCommand.command, GenotypeCommand.command, PluginsCommand.command,
            BenchCommand.command,
        ])

    public static func main() -> Never { tool.main() }
}
