import Tensors

/// A layer or model: its parameters are the tensors stored in its properties.
///
/// Parameters are discovered by reflection, as MLX Swift does, so a layer is just its stored
/// properties and ``callAsFunction``-style methods; nobody keeps a list by hand. A stored
/// `Tensor` with `requiresGrad` is a parameter; one without is a buffer (running statistics).
/// Child modules may be stored directly, in arrays or in optionals. Names are the dotted property
/// paths (`cells.0.steps.1.ops.2.conv.weight`), stable across runs, and used in checkpoints.
///
/// ```swift
/// final class TwoLayer: Module {
///     let first = Linear(4, 8, rng: &rng)
///     let second = Linear(8, 2, rng: &rng)
///     func callAsFunction(_ x: Tensor) -> Tensor { second(first(x).relu()) }
/// }
/// ```
open class Module: @unchecked Sendable {
    /// Whether the module is in training mode (dropout active, batch statistics used).
    public private(set) var isTraining = true

    public init() {}

    /// Every parameter and buffer under this module with its dotted name, in declaration order.
    public func namedTensors() -> [(name: String, tensor: Tensor)] {
        var result: [(String, Tensor)] = []
        var seen = Set<ObjectIdentifier>()
        visit(prefix: "") { name, tensor in
            if seen.insert(ObjectIdentifier(tensor)).inserted { result.append((name, tensor)) }
        }
        return result
    }

    /// Trainable tensors with their dotted names.
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        namedTensors().filter { $0.tensor.requiresGrad }
    }

    /// Trainable tensors.
    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    /// Every module under this one (itself first), depth first.
    public func modules() -> [Module] {
        var result: [Module] = [self]
        for child in childModules() { result += child.modules() }
        return result
    }

    /// Switches this module and every module under it to training or evaluation mode.
    ///
    /// Open so that a model can keep parts frozen (e.g. pretrained encoders stay in evaluation
    /// mode); overrides call `super.train(on)` first. ``eval()`` goes through this method.
    open func train(_ on: Bool = true) {
        isTraining = on
        // Recurse through `train` rather than setting the flag directly so that nested overrides run.
        for child in childModules() { child.train(on) }
    }

    /// Shorthand for `train(false)`.
    public func eval() { train(false) }

    /// Number of trainable scalars.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// Sets every parameter's gradient to nil.
    public func zeroGrad() {
        for p in parameters() { p.grad = nil }
    }

    /// Overrides the reflected children; a module whose properties hide tensors (closures, dictionaries)
    /// returns them here. Each entry is a name and a `Tensor`, `Module` or array of either.
    open func extraChildren() -> [(String, Any)] { [] }

    func children() -> [(String, Any)] {
        var result: [(String, Any)] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        var levels: [[(String, Any)]] = []
        while let m = mirror {
            levels.append(m.children.compactMap { child in child.label.map { (Self.cleanLabel($0), child.value) } })
            mirror = m.superclassMirror
        }
        for level in levels.reversed() { result += level }  // superclass properties first
        return result + extraChildren()
    }

    /// Lazy properties and property wrappers appear with decorated labels.
    static func cleanLabel(_ label: String) -> String {
        if label.hasPrefix("$__lazy_storage_$_") { return String(label.dropFirst("$__lazy_storage_$_".count)) }
        if label.hasPrefix("_") { return String(label.dropFirst()) }
        return label
    }

    func childModules() -> [Module] {
        var result: [Module] = []
        for (_, value) in children() { Self.collectModules(value, into: &result) }
        return result
    }

    static func collectModules(_ value: Any, into result: inout [Module]) {
        if let m = value as? Module {
            result.append(m)
        } else if let array = value as? [Any] {
            for element in array { collectModules(element, into: &result) }
        } else if let optional = value as? OptionalProtocol, let wrapped = optional.wrapped {
            collectModules(wrapped, into: &result)
        }
    }

    func visit(prefix: String, _ body: (String, Tensor) -> Void) {
        for (label, value) in children() { Self.visitValue(value, name: prefix + label, body) }
    }

    static func visitValue(_ value: Any, name: String, _ body: (String, Tensor) -> Void) {
        if let t = value as? Tensor {
            body(name, t)
        } else if let m = value as? Module {
            m.visit(prefix: name + ".", body)
        } else if let array = value as? [Any] {
            for (i, element) in array.enumerated() { visitValue(element, name: "\(name).\(i)", body) }
        } else if let optional = value as? OptionalProtocol, let wrapped = optional.wrapped {
            visitValue(wrapped, name: name, body)
        }
    }
}

protocol OptionalProtocol { var wrapped: Any? { get } }
extension Optional: OptionalProtocol {
    var wrapped: Any? { self.map { $0 as Any } }
}
