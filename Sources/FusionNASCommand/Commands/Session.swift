import BMNAS
import Contrastive
import Foundation
import FusionNAS
import FusionNASPipeline
import Layers
import Tensors

/// What every training command sets up the same way: threads, the registry with built-ins and
/// plugins, the run directory with its saved configuration, progress, `metrics.jsonl` and checkpoints.
///
/// Two phases, so that a refused command leaves nothing behind: ``init(options:label:)`` reads the
/// options, loads the plugins and checks the run directory without creating it; the command then
/// checks its data and inputs, and ``start()`` creates the directory, takes its lock and writes
/// `config.json`. Run the command's work inside ``perform(_:)``, which removes a directory the
/// failed run left nothing of value in.
final class Session {
    let options: OptionValues
    let progress: ProgressReporter
    let registry: ComponentRegistry
    let run: RunDirectory
    /// Set by ``start()``.
    private(set) var metrics: MetricsLog?
    /// Set by ``start()``.
    private(set) var checkpoints: CheckpointStore?
    private var lock: RunLock?
    /// Whether ``start()`` created the run directory (rather than finding it empty or resuming it).
    private var createdDirectory = false
    /// `--threads` as given with `--resume`: the one setting a resumed run may change, saved back.
    private var resumedThreads: Int?

    /// - Parameters:
    ///   - label: the command, used in the default run directory's name.
    ///   - arguments: the options as given; on `--resume` they are re-read on top of the run's saved configuration.
    init(options given: OptionValues, label: String) throws {
        var options = given
        if let resume = given.url("resume"), let out = given.url("out"),
            out.standardizedFileURL.path != resume.standardizedFileURL.path
        {
            // A resumed run continues in its own directory; --out used to be ignored silently.
            throw UsageError(
                "--resume \(resume.path) continues that run in its own directory, so --out \(out.path) cannot be used with it; drop --out to resume, or drop --resume to start a new run in \(out.path)")
        }
        var lock: RunLock?
        if let resume = given.url("resume") {
            // Locked before anything is read, so a second resume fails at once rather than after loading data.
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: resume.path, isDirectory: &isDirectory), isDirectory.boolValue {
                lock = try RunLock(directory: resume)
            }
            options = try Session.resumedOptions(given, runDirectory: resume)
            if given.isExplicit("threads") { resumedThreads = given.optionalInt("threads") }
        }
        self.lock = lock
        self.options = options
        progress = ProgressReporter(verbosity: try Verbosity(options))
        if let threads = options.optionalInt("threads") { Threading.setThreads(threads) }
        registry = try Session.makeRegistry(options)
        run = try RunDirectory.plan(out: options.url("out"), resume: options.url("resume"), label: label)
    }

    /// Creates the run directory (or reopens the resumed one), takes its lock and writes
    /// `config.json`; call it once the command's data and inputs have been checked.
    func start() throws {
        let manager = FileManager.default
        createdDirectory = !manager.fileExists(atPath: run.url.path)
        _ = try run.create()
        if lock == nil {
            lock = try RunLock(directory: run.url)
            // Checked again under the lock: another run may have started here since the plan.
            if !run.isResumed { try RunDirectory.requireUnusedByOthers(run.url) }
        }
        let config = savedConfiguration()
        let fingerprints = options.declares("dataset") ? try DataFingerprints.of(dataset: options.string("dataset")) : nil
        if run.isResumed {
            if let fingerprints, let saved = try DataFingerprints.saved(in: run) {
                try fingerprints.requireUnchanged(since: saved, run: run)
            }
            // This process holds the lock, so any hidden temporary file is a killed writer's leftover.
            run.removeStaleTemporaryFiles()
            if let resumedThreads { try saveThreads(resumedThreads) }
        } else {
            try AtomicFile.write(Data(config.utf8), to: run.url(for: .config))
            try fingerprints?.write(in: run)
        }
        progress.info((run.isResumed ? "resuming " : "run directory ") + run.url.path)
        progress.detail("configuration:\n" + config)
        progress.detail("BLAS kernel: " + BLASKernel.description)
        metrics = try MetricsLog(url: run.url(for: .metrics))
        checkpoints = try CheckpointStore(directory: run.url(for: .checkpoints))
    }

    /// The configuration as saved in `config.json`: without `--resume` and `--out`, and with every
    /// relative path made absolute, so that the run can be resumed from any working directory and
    /// after the run directory is moved or copied. The run's directory is where the file is, so it
    /// is not saved: `--config DIR/config.json` then repeats the run into a new directory instead
    /// of into DIR, which holds the first run and would be refused.
    func savedConfiguration() -> String {
        var object = options.configuration
        object[CommonOptions.resume.name] = nil
        object[CommonOptions.out.name] = nil
        let manager = FileManager.default
        let here = URL(fileURLWithPath: manager.currentDirectoryPath, isDirectory: true)
        func absolute(_ path: String, from base: URL) -> String {
            path.hasPrefix("/") ? path : base.appendingPathComponent(path).standardizedFileURL.path
        }
        for name in ["genotype", "weights"] {
            if case .string(let path)? = object[name] { object[name] = .string(absolute(path, from: here)) }
        }
        // A dataset is a path only when such a file exists; built-in names stay as they are.
        if case .string(let dataset)? = object["dataset"], manager.fileExists(atPath: dataset) {
            object["dataset"] = .string(absolute(dataset, from: here))
        }
        let configDirectory = options.url("config")?.deletingLastPathComponent() ?? here
        for (name, base) in [("plugin", Session.pluginBase(options)), ("plugins", configDirectory)] {
            if case .array(let items)? = object[name] {
                object[name] = .array(items.map { item in
                    guard case .string(let path) = item, manager.fileExists(atPath: absolute(path, from: base)) else { return item }
                    return .string(absolute(path, from: base))
                })
            }
        }
        return JSONValue.object(object).rendered(pretty: true) + "\n"
    }

    /// Writes the `--threads` of a resumed run into its `config.json`, so the file says what ran last.
    private func saveThreads(_ threads: Int) throws {
        let url = run.url(for: .config)
        guard case .object(var object) = try JSONValue.parse(try Data(contentsOf: url)) else { return }
        object[CommonOptions.threads.name] = .int(threads)
        try AtomicFile.write(Data((JSONValue.object(object).rendered(pretty: true) + "\n").utf8), to: url)
    }

    /// Runs `work`; when it throws, removes the run directory if this session created or filled it
    /// and it holds nothing of value yet (no checkpoint, no result), then rethrows.
    func perform<T>(_ work: () throws -> T) throws -> T {
        do { return try work() } catch {
            discardIfWorthless()
            throw error
        }
    }

    private func discardIfWorthless() {
        guard metrics != nil, !run.isResumed, RunDirectory.holdsNothingOfValue(run.url) else { return }
        let manager = FileManager.default
        if createdDirectory {
            try? manager.removeItem(at: run.url)
        } else {
            // It was an empty directory before: leave it empty.
            for name in (try? manager.contentsOfDirectory(atPath: run.url.path)) ?? [] {
                try? manager.removeItem(at: run.url.appendingPathComponent(name))
            }
        }
    }

    /// The registry with every built-in component, then the plugins: `--plugin` paths, the
    /// configuration file's `plugins` list, then the directories in FUSIONNAS_PLUGIN_PATH.
    ///
    /// Run as the `fusion-nas` executable, each plugin is first loaded in a child process
    /// (``PluginProbe``), so that one that crashes while loading is reported by name.
    static func makeRegistry(_ options: OptionValues) throws -> ComponentRegistry {
        let registry = try builtInRegistry()
        let paths = try pluginPaths(options)
        if let executable = PluginProbe.executable {
            for path in paths { _ = try PluginProbe.check(path: path, executable: executable) }
        }
        _ = try PluginLoader.loadAll(paths: paths, into: registry)
        return registry
    }

    /// A registry of every built-in component and no plugin.
    static func builtInRegistry() throws -> ComponentRegistry {
        let registry = ComponentRegistry()
        try BuiltInEncoders.register(in: registry)
        try BMNASComponents.register(in: registry)
        try ContrastiveComponents.register(in: registry)
        return registry
    }

    /// The plugin libraries the options name, in load order (see ``PluginLoader/paths(explicit:config:configDirectory:environment:)``).
    static func pluginPaths(_ options: OptionValues) throws -> [String] {
        let fromConfig = options.declares("plugins") ? options.list("plugins") : []
        let base = pluginBase(options)
        return try PluginLoader.paths(
            explicit: options.list("plugin").map { $0.hasPrefix("/") ? $0 : base.appendingPathComponent($0).path },
            config: fromConfig, configDirectory: options.url("config")?.deletingLastPathComponent().path)
    }

    /// The directory relative `--plugin` paths resolve against: the working directory on the
    /// command line, the file's directory when a configuration file gave them (as for `plugins`).
    static func pluginBase(_ options: OptionValues) -> URL {
        if case .configurationFile(let file)? = options.sources["plugin"] {
            return URL(fileURLWithPath: file).deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    }

    /// The saved configuration of the run being resumed, with only output and thread options taken
    /// from the command line: anything else must match what the run was started with.
    static func resumedOptions(_ given: OptionValues, runDirectory: URL) throws -> OptionValues {
        let saved = runDirectory.appendingPathComponent(RunDirectory.File.config.rawValue)
        guard FileManager.default.fileExists(atPath: saved.path) else {
            throw UsageError("cannot resume \(runDirectory.path): it has no \(RunDirectory.File.config.rawValue); was it made by fusion-nas?")
        }
        let adjustable: Set<String> = ["resume", "out", "threads", "quiet", "verbose", "config"]
        var arguments = ["--config", saved.path, "--resume", runDirectory.path]
        for name in ["threads"] { if let n = given.optionalInt(name), given.isExplicit(name) { arguments += ["--\(name)", String(n)] } }
        for name in ["quiet", "verbose"] where given.flag(name) && given.isExplicit(name) { arguments.append("--\(name)") }
        guard case .values(var resumed) = try ArgumentParser(specs: given.specs).parse(arguments) else {
            throw UsageError("cannot read the saved configuration \(saved.path)")
        }
        // The run continues where its directory is now, whatever `out` it was started with
        // (relative to another working directory, or before the directory was moved).
        if resumed.declares(CommonOptions.out.name) {
            resumed.set(CommonOptions.out.name, .string(runDirectory.path), from: .configurationFile(saved.path))
        }
        for spec in given.specs where given.isExplicit(spec.name) && !adjustable.contains(spec.name) {
            if given.value(spec.name)?.json != resumed.value(spec.name)?.json {
                throw UsageError(
                    "--resume continues \(runDirectory.path) with its saved configuration; --\(spec.name) differs from it. Drop --\(spec.name), or start a new run with --out")
            }
        }
        return resumed
    }

    /// On resume: drops the `metrics.jsonl` lines of `stage` after `epoch` (written after the last
    /// checkpoint, so they will be written again) and any partial line a kill left.
    func forgetMetrics(of stage: String, after epoch: Int) throws {
        let kept = try MetricsLog.read(from: run.url(for: .metrics)).filter { record in
            guard case .string(stage)? = record["stage"], case .int(let e)? = record["epoch"] else { return true }
            return e <= epoch
        }
        let text = kept.map { JSONValue.object($0).rendered(pretty: false) + "\n" }.joined()
        try replaceMetrics(with: Data(text.utf8))
    }

    /// Replaces `metrics.jsonl` with `contents` (lines other processes wrote, or those kept on
    /// resume); later lines are appended to the new file.
    func replaceMetrics(with contents: Data) throws {
        try AtomicFile.write(contents, to: run.url(for: .metrics))
        metrics = try MetricsLog(url: run.url(for: .metrics))
    }

    /// Turns pipeline events into progress, `metrics.jsonl` lines and warnings.
    ///
    /// One progress bar per stage over all its steps (rate and ETA for the stage); epoch summaries
    /// go to `metrics.jsonl` always and to the screen at most every few seconds, at the last epoch,
    /// or every epoch with `--verbose`.
    func observer() -> (PipelineEvent) -> Void {
        var stageEpochs: [String: Int] = [:]
        var resumedEpochs: [String: Int] = [:]
        var lastSummary = -Double.infinity
        let verbose = progress.verbosity >= .verbose
        return { [self] event in
            switch event {
            case .stageStarted(let stage, let epochs):
                stageEpochs[stage] = epochs
                if run.isResumed {
                    do { try forgetMetrics(of: stage, after: resumedEpochs[stage] ?? 0) } catch {
                        progress.warn("could not tidy \(run.url(for: .metrics).path) for the resumed run: \(error)")
                    }
                }
                progress.milestone("\(stage): \(epochs) epochs")
                lastSummary = ProcessInfo.processInfo.systemUptime
            case .step(let stage, let epoch, let step, let of, let loss):
                let epochs = stageEpochs[stage] ?? epoch
                let first = resumedEpochs[stage] ?? 0
                if step == 1 && epoch == first + 1 { progress.start(stage, total: (epochs - first) * of) }
                progress.update(
                    completed: (epoch - first - 1) * of + step, status: String(format: "epoch %d/%d  loss %.4f", epoch, epochs, loss))
            case .epochFinished(let stage, let epoch, let figures):
                var record: [String: JSONValue] = ["stage": .string(stage), "epoch": .int(epoch)]
                for (k, v) in figures { record[k] = .double(v) }
                try? metrics?.append(record)
                let now = ProcessInfo.processInfo.systemUptime
                if verbose || epoch == stageEpochs[stage] || now - lastSummary >= progress.interval {
                    let shown = figures.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.4f", $0.value))" }
                    progress.milestone("\(stage) epoch \(epoch)/\(stageEpochs[stage] ?? epoch)  " + shown.joined(separator: "  "))
                    lastSummary = now
                }
                for (k, v) in figures where !v.isFinite {
                    progress.warn("\(stage) epoch \(epoch): \(k) is \(v); try a lower --lr, a larger --batch-size, or another --seed")
                }
            case .searchEpoch(let stage, let record):
                progress.detail("\(stage) epoch \(record.epoch) genotype: \(record.genotype)")
                try? metrics?.append([
                    "stage": .string(stage), "epoch": .int(record.epoch), "genotype": .string(record.genotype.description),
                ])
            case .resumed(let stage, let epoch):
                resumedEpochs[stage] = epoch
                progress.milestone("\(stage): resumed after epoch \(epoch)")
            case .stageFinished(let stage, let seconds):
                progress.finish()
                progress.milestone("\(stage): done in \(ProgressReporter.duration(seconds))")
            case .warning(let message):
                progress.warn(message)
            }
        }
    }

    /// Appends one evaluation to `metrics.jsonl`.
    func logEvaluation(_ method: String, split: String, _ result: EvaluationResult) {
        var record: [String: JSONValue] = ["stage": .string("\(method)/evaluate"), "split": .string(split), "metric": .string(result.metric)]
        for (k, v) in result.figures { record[k] = .double(v) }
        try? metrics?.append(record)
    }
}
