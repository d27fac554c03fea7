/// An error a user can fix: a bad name, option, file or plugin. The message says what to do;
/// ``problem`` says what went wrong, for callers that act on it rather than print it.
public struct ComponentError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, in cases a caller can act on; everything else is ``other``.
    public enum Problem: Sendable, Equatable {
        /// No component of `kind` is registered as `name`: offer the registered names, or load the
        /// plugin that provides it.
        case unknownComponent(kind: ComponentKind, name: String)
        /// `name` is already registered as a `kind` (by a built-in or an earlier plugin).
        case duplicateComponent(kind: ComponentKind, name: String)
        /// The plugin library at `path` cannot be loaded or is not a FusionNAS plugin: fix the path
        /// or leave it out.
        case pluginRefused(path: String)
        /// The plugin at `path` was built against another plugin ABI or another core: rebuild it.
        case incompatiblePlugin(path: String)
        /// A component's option or argument is out of range or contradicts another (the message
        /// names it and the range): change that option.
        case invalidOption(component: String)
        /// A checkpoint belongs to another stage or configuration, or cannot be read: resume with
        /// the configuration that wrote it, or start the run afresh.
        case incompatibleCheckpoint
        /// A genotype or weights do not fit the network this data and configuration build: use
        /// the configuration they were made with.
        case doesNotFit
        /// Weights hold NaN or infinity (from a run that diverged): train again, e.g. with a lower
        /// learning rate.
        case nonFiniteWeights(tensor: String)
        /// Too few samples or labels for a stage (the message says how many it needs): choose a
        /// larger fraction or dataset.
        case tooFewSamples
        /// The run needs more memory than the machine has: choose smaller sizes.
        case insufficientMemory
        /// A search finished no epoch, so it chose no genotype.
        case noGenotypeFound(stage: String)
        /// Anything else; the message says what to do.
        case other
    }

    public let problem: Problem
    public let message: String

    public init(_ problem: Problem, _ message: String) {
        self.problem = problem
        self.message = message
    }

    /// An error without a named ``Problem``.
    public init(_ message: String) { self.init(.other, message) }

    public var description: String { message }
}
