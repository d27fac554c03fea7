import Tensors

/// The kinds of component a registry holds.
public enum ComponentKind: String, Sendable, CaseIterable, Codable {
    case primitive
    case objective
    case encoder
    case searchSpace = "search-space"
    case augmentation
}

/// Where a component came from.
public enum ComponentOrigin: Sendable, Equatable, CustomStringConvertible {
    /// Compiled into FusionNAS (the module name).
    case builtIn(String)
    /// Loaded from a plugin library at this path.
    case plugin(String)
    /// Registered by the program that uses FusionNAS as a library.
    case inProcess(String)

    public var description: String {
        switch self {
        case .builtIn(let module): "built-in (\(module))"
        case .plugin(let path): path
        case .inProcess(let owner): "in-process (\(owner))"
        }
    }
}

/// A registered component: its identity and how to build it.
public struct ComponentFactory<Configuration, Product>: @unchecked Sendable {
    public let name: String
    public let version: String
    public let origin: ComponentOrigin
    /// One-line description for `fusion-nas plugins list`.
    public let summary: String
    public let make: (Configuration, inout SeededGenerator) throws -> Product

    public init(
        name: String, version: String = "1.0", origin: ComponentOrigin, summary: String = "",
        make: @escaping (Configuration, inout SeededGenerator) throws -> Product
    ) {
        self.name = name
        self.version = version
        self.origin = origin
        self.summary = summary
        self.make = make
    }
}

public typealias PrimitiveFactory = ComponentFactory<PrimitiveConfiguration, any FusionPrimitive>
public typealias ObjectiveFactory = ComponentFactory<ObjectiveConfiguration, any SSLObjective>
public typealias EncoderFactory = ComponentFactory<EncoderConfiguration, any ModalityEncoder>
public typealias AugmentationFactory = ComponentFactory<[String: Double], any Augmentation>

/// A search space registered by name.
public struct SearchSpaceEntry: Sendable {
    public let space: any SearchSpace
    public let version: String
    public let origin: ComponentOrigin
    public let summary: String
    public init(space: any SearchSpace, version: String = "1.0", origin: ComponentOrigin, summary: String = "") {
        self.space = space
        self.version = version
        self.origin = origin
        self.summary = summary
    }
}
