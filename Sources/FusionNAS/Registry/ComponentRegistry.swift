import Foundation

/// Every component known to the process, one table per kind, keyed by name.
///
/// Built-ins register at start-up exactly as plugins do. A duplicate name is refused with a message
/// naming both origins, and a failed registration leaves the registry unchanged.
///
/// ```swift
/// let registry = ComponentRegistry()
/// try BMNASComponents.register(in: registry)
/// try registry.register(primitive: PrimitiveFactory(name: "max", origin: .inProcess("demo")) { _, _ in MaxFusion() })
/// let factory = try registry.primitive(named: "max")
/// ```
public final class ComponentRegistry: @unchecked Sendable {
    /// One row of `fusion-nas plugins list`.
    public struct Listing: Sendable, Equatable {
        public let kind: ComponentKind
        public let name: String
        public let version: String
        public let origin: ComponentOrigin
        public let summary: String
    }

    private var primitives: [String: PrimitiveFactory] = [:]
    private var objectives: [String: ObjectiveFactory] = [:]
    private var encoders: [String: EncoderFactory] = [:]
    private var augmentations: [String: AugmentationFactory] = [:]
    private var searchSpaces: [String: SearchSpaceEntry] = [:]
    private var order: [(ComponentKind, String)] = []
    private let lock = NSLock()

    public init() {}

    private func origin(of kind: ComponentKind, _ name: String) -> ComponentOrigin? {
        switch kind {
        case .primitive: primitives[name]?.origin
        case .objective: objectives[name]?.origin
        case .encoder: encoders[name]?.origin
        case .augmentation: augmentations[name]?.origin
        case .searchSpace: searchSpaces[name]?.origin
        }
    }

    /// Throws if `name` is taken or malformed; call with the lock held.
    private func checkFree(_ kind: ComponentKind, _ name: String, newOrigin: ComponentOrigin) throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) else {
            throw ComponentError("\(kind.rawValue) name '\(name)' from \(newOrigin) is not valid: use letters, digits, '_', '-' or '.'")
        }
        if let existing = origin(of: kind, name) {
            throw ComponentError(
                .duplicateComponent(kind: kind, name: name),
                "duplicate \(kind.rawValue) '\(name)': already registered by \(existing), refused from \(newOrigin)")
        }
    }

    /// Checks that every name in `names` of `kind` is free, so a plugin registers all or nothing.
    public func checkAvailable(_ names: [(ComponentKind, String)], origin: ComponentOrigin) throws {
        lock.lock()
        defer { lock.unlock() }
        var seen = Set<String>()
        for (kind, name) in names {
            try checkFree(kind, name, newOrigin: origin)
            guard seen.insert("\(kind.rawValue)/\(name)").inserted else {
                throw ComponentError(.duplicateComponent(kind: kind, name: name), "duplicate \(kind.rawValue) '\(name)': declared twice by \(origin)")
            }
        }
    }

    public func register(primitive factory: PrimitiveFactory) throws {
        try insert(.primitive, factory.name, factory.origin) { primitives[factory.name] = factory }
    }
    public func register(objective factory: ObjectiveFactory) throws {
        try insert(.objective, factory.name, factory.origin) { objectives[factory.name] = factory }
    }
    public func register(encoder factory: EncoderFactory) throws {
        try insert(.encoder, factory.name, factory.origin) { encoders[factory.name] = factory }
    }
    public func register(augmentation factory: AugmentationFactory) throws {
        try insert(.augmentation, factory.name, factory.origin) { augmentations[factory.name] = factory }
    }
    public func register(searchSpace entry: SearchSpaceEntry) throws {
        try insert(.searchSpace, entry.space.name, entry.origin) { searchSpaces[entry.space.name] = entry }
    }

    private func insert(_ kind: ComponentKind, _ name: String, _ origin: ComponentOrigin, _ store: () -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        try checkFree(kind, name, newOrigin: origin)
        store()
        order.append((kind, name))
    }

    private func missing(_ kind: ComponentKind, _ name: String, available: [String]) -> ComponentError {
        ComponentError(
            .unknownComponent(kind: kind, name: name),
            "unknown \(kind.rawValue) '\(name)'; available: \(available.sorted().joined(separator: ", ")) (load a plugin with --plugin PATH to add more)")
    }

    public func primitive(named name: String) throws -> PrimitiveFactory {
        lock.lock()
        defer { lock.unlock() }
        guard let f = primitives[name] else { throw missing(.primitive, name, available: Array(primitives.keys)) }
        return f
    }
    public func objective(named name: String) throws -> ObjectiveFactory {
        lock.lock()
        defer { lock.unlock() }
        guard let f = objectives[name] else { throw missing(.objective, name, available: Array(objectives.keys)) }
        return f
    }
    public func encoder(named name: String) throws -> EncoderFactory {
        lock.lock()
        defer { lock.unlock() }
        guard let f = encoders[name] else { throw missing(.encoder, name, available: Array(encoders.keys)) }
        return f
    }
    public func augmentation(named name: String) throws -> AugmentationFactory {
        lock.lock()
        defer { lock.unlock() }
        guard let f = augmentations[name] else { throw missing(.augmentation, name, available: Array(augmentations.keys)) }
        return f
    }
    public func searchSpace(named name: String) throws -> any SearchSpace {
        lock.lock()
        defer { lock.unlock() }
        guard let e = searchSpaces[name] else { throw missing(.searchSpace, name, available: Array(searchSpaces.keys)) }
        return e.space
    }

    /// Names of the registered components of one kind, sorted.
    public func names(of kind: ComponentKind) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return order.filter { $0.0 == kind }.map(\.1).sorted()
    }

    /// Every component in registration order.
    public func listing() -> [Listing] {
        lock.lock()
        defer { lock.unlock() }
        return order.map { kind, name in
            switch kind {
            case .primitive: let f = primitives[name]!; return Listing(kind: kind, name: name, version: f.version, origin: f.origin, summary: f.summary)
            case .objective: let f = objectives[name]!; return Listing(kind: kind, name: name, version: f.version, origin: f.origin, summary: f.summary)
            case .encoder: let f = encoders[name]!; return Listing(kind: kind, name: name, version: f.version, origin: f.origin, summary: f.summary)
            case .augmentation: let f = augmentations[name]!; return Listing(kind: kind, name: name, version: f.version, origin: f.origin, summary: f.summary)
            case .searchSpace: let e = searchSpaces[name]!; return Listing(kind: kind, name: name, version: e.version, origin: e.origin, summary: e.summary)
            }
        }
    }
}
