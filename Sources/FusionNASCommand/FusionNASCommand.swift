import Foundation
import FusionNAS
import Tensors

/// The `fusion-nas` command-line tool: a thin layer that parses options, wires the pipeline and prints.
public enum FusionNASCommand {
    /// Every subcommand, in help order.
    public static let tool = CommandLineTool(
        name: "fusion-nas",
        summary: "Find multimodal fusion architectures without labels (self-supervised DARTS over BM-NAS cells).",
        commands: [
            // Under mpirun these split their self-supervised batches over the ranks (Docs/distributed.md).
            DataParallelLaunch.wrap(RunCommand.command), DataParallelLaunch.wrap(StageCommands.search),
            DataParallelLaunch.wrap(StageCommands.pretrain), DataParallelLaunch.wrap(StageCommands.finetune),
            StageCommands.evaluate, ExportCommand.command, SweepCommand.command, StudyCommand.command, CorrelateCommand.command, GenotypeCommand.command, PluginsCommand.command,
            BenchCommand.command, BLASCommand.command, MPICheckCommand.command,
        ])

    /// Restarts on OpenBLAS's strongest kernel for this CPU where it fell back to a generic one
    /// (see ``BLASKernel/useFastestKernel(arguments:)``), then runs the command line.
    public static func main() -> Never {
        BLASKernel.useFastestKernel()
        // Plugins are checked by re-running this very binary (see PluginProbe).
        PluginProbe.executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        tool.main()
    }
}
