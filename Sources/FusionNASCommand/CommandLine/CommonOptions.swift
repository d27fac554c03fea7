/// Options shared by several subcommands, declared once so their names, kinds and help agree.
///
/// A subcommand lists the ones it uses next to its own:
/// `options: CommonOptions.general + [PipelineOptions.plugins]`. The options that set the pipeline
/// configuration (`--dataset`, `--labels`, `--channels`, ...) are declared in `PipelineOptions`,
/// beside the code that reads them.
public enum CommonOptions {
    public static let seed = OptionSpec(
        name: "seed", kind: .int(minimum: 0), default: .int(0), help: "Random seed; equal seeds give equal runs.")
    public static let threads = OptionSpec(
        name: "threads", kind: .int(minimum: 1), defaultDescription: "all cores",
        help: "Threads of the worker pool that runs products and parallel loops (OpenBLAS itself stays single-threaded).")
    public static let out = OptionSpec(
        name: "out", kind: .path(placeholder: "DIR", example: "runs/first"),
        defaultDescription: "runs/<timestamp>-<command>", help: "Run directory to create for results.")
    public static let resume = OptionSpec(
        name: "resume", kind: .path(placeholder: "DIR", example: "runs/first"),
        help: "Continue the run in this directory from its last checkpoint.")
    public static let plugin = OptionSpec(
        name: "plugin", kind: .path(example: "libMyFusion.so"),
        help: "Plugin library to load; give once per plugin.", repeatable: true)
    public static let config = OptionSpec(
        name: "config", kind: .path(placeholder: "FILE", example: "config.json"),
        help: "JSON file of option values; command-line options override it.")
    public static let quiet = OptionSpec(name: "quiet", kind: .flag, help: "Print only warnings and errors.")
    public static let verbose = OptionSpec(name: "verbose", kind: .flag, help: "Print extra detail.")

    /// The options that only control output and setup, for subcommands that do not train.
    public static let general: [OptionSpec] = [plugin, config, quiet, verbose]
}
