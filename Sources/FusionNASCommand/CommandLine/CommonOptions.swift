/// Options shared by several subcommands, declared once so their names, kinds and help agree.
///
/// A subcommand lists the ones it uses next to its own:
/// `options: CommonOptions.searchAndTraining + [OptionSpec(name: "lr", ...)]`.
public enum CommonOptions {
    public static let dataset = OptionSpec(
        name: "dataset", kind: .string(placeholder: "NAME|PATH", example: "uci-mfeat"), default: .string("uci-mfeat"),
        help: "Built-in dataset name or path to a dataset file or directory.")
    public static let modalities = OptionSpec(
        name: "modalities", kind: .list(placeholder: "a,b,...", example: "pix,fou"), defaultDescription: "all",
        help: "Modalities to use, by name.")
    public static let labels = OptionSpec(
        name: "labels", kind: .fraction, default: .double(0.1),
        help: "Fraction of training labels used for fine-tuning.")
    public static let objective = OptionSpec(
        name: "objective", kind: .string(placeholder: "NAME", example: "simclr"), default: .string("simclr"),
        help: "Self-supervised objective, by registered name.")
    public static let primitives = OptionSpec(
        name: "primitives", kind: .list(placeholder: "a,b,...", example: "sum,attention"),
        defaultDescription: "all registered",
        help: "Fusion primitives the search may choose from.")
    public static let epochs = OptionSpec(
        name: "epochs", kind: .int(minimum: 1), default: .int(10), help: "Number of training epochs.")
    public static let seed = OptionSpec(
        name: "seed", kind: .int(minimum: 0), default: .int(0), help: "Random seed; equal seeds give equal runs.")
    public static let threads = OptionSpec(
        name: "threads", kind: .int(minimum: 1), defaultDescription: "all cores",
        help: "Worker threads for tensor math.")
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

    /// Every shared option, in help order.
    public static let all: [OptionSpec] = [
        dataset, modalities, labels, objective, primitives, epochs, seed, threads, out, resume, plugin, config,
        quiet, verbose,
    ]

    /// The options that only control output and setup, for subcommands that do not train.
    public static let general: [OptionSpec] = [plugin, config, quiet, verbose]
}
