/// A step of ``PluginLoader/load(path:into:step:)`` that runs the plugin's own code, where a broken
/// plugin can crash the process: a check that loads the plugin in a child process reports the
/// last step the child announced (`fusion-nas plugins check`).
public enum PluginLoadStep: Sendable, Equatable {
    /// `dlopen`, which runs the library's constructors (C `__attribute__((constructor))`, Swift globals).
    case opening
    /// The call of `fusionnas_plugin_entry()`.
    case callingEntry
    /// The call of the descriptor's `init`, with the plugin's name and version from the descriptor.
    case initialising(name: String, version: String)
    /// The call of the descriptor's `register_components`.
    case registering(name: String, version: String)

    /// Where in the plugin's code this step is, for a message: "in its constructors (dlopen)".
    public var place: String {
        switch self {
        case .opening: "in its constructors, while the library was opened (dlopen)"
        case .callingEntry: "in fusionnas_plugin_entry()"
        case .initialising: "in its init function"
        case .registering: "in its register_components function"
        }
    }
}
