import Foundation

/// A Float32 N-dimensional tensor with contiguous row-major storage and reverse-mode autodiff.
///
/// Ops are functions and methods that return new tensors. When gradient recording is on
/// (see ``GradMode``) and an input has ``requiresGrad``, the op records how to send gradients
/// back to its inputs; ``backward(_:)`` then fills ``grad`` on every leaf that requires it.
///
/// ```swift
/// let w = Tensor.randn([3, 2], rng: &rng).requiringGrad()
/// let loss = (x.matmul(w)).square().mean()
/// loss.backward()
/// print(w.grad!.shape)  // [3, 2]
/// ```
///
/// Gradients are values: ops never modify a gradient tensor in place, because one gradient tensor
/// may be shared by several inputs of an op such as `add`.
public final class Tensor: @unchecked Sendable, CustomStringConvertible {
    /// The extent of each axis.
    public let shape: [Int]
    /// The element buffer (shared with reshaped views).
    public let storage: TensorStorage
    /// Whether gradients flow to this tensor.
    public var requiresGrad: Bool
    /// The accumulated gradient of the last ``backward(_:)`` (leaves only).
    public var grad: Tensor?
    /// How this tensor was computed, when it was recorded for autodiff.
    var gradNode: GradNode?

    /// Wraps an existing storage; `shape` must describe exactly `storage.count` elements.
    public init(shape: [Int], storage: TensorStorage, requiresGrad: Bool = false) {
        precondition(
            shape.reduce(1, *) == storage.count,
            "Tensor: shape \(shape) has \(shape.reduce(1, *)) elements but the storage holds \(storage.count)")
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// An uninitialised tensor; every element must be written before it is read.
    public convenience init(uninitializedShape shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(count: shape.reduce(1, *)))
    }

    /// A tensor holding `values` in row-major order.
    public convenience init(shape: [Int], values: [Float]) {
        precondition(
            shape.reduce(1, *) == values.count,
            "Tensor: shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        self.init(uninitializedShape: shape)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { storage.pointer.update(from: base, count: values.count) }
        }
    }

    /// A tensor filled with `value`.
    public convenience init(shape: [Int], repeating value: Float) {
        self.init(uninitializedShape: shape)
        storage.pointer.update(repeating: value, count: storage.count)
    }

    /// A rank-0 tensor.
    public convenience init(_ scalar: Float) {
        self.init(shape: [], values: [scalar])
    }

    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    /// Number of elements.
    @inlinable public var count: Int { storage.count }
    /// Number of axes.
    @inlinable public var rank: Int { shape.count }
    /// The first element's address.
    @inlinable public var data: UnsafeMutablePointer<Float> { storage.pointer }

    /// The elements in row-major order.
    public var values: [Float] { Array(storage.buffer) }

    /// The single element of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item: tensor of shape \(shape) has \(count) elements, expected 1")
        return data[0]
    }

    /// Marks this tensor as a leaf that receives gradients, and returns it.
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        requiresGrad = flag
        return self
    }

    /// The same values cut from the autodiff graph.
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// A deep copy without autodiff history.
    public func copy() -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        out.data.update(from: data, count: count)
        return out
    }

    /// Overwrites this tensor's elements with `other`'s (same element count); not recorded for autodiff.
    public func assign(_ other: Tensor) {
        precondition(other.shape == shape, "assign: shape \(other.shape) does not match \(shape)")
        data.update(from: other.data, count: count)
    }

    /// Whether this tensor was produced by a recorded op (as opposed to a leaf).
    public var isLeaf: Bool { gradNode == nil }

    public var description: String {
        let shown = values.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 8 ? ", ..." : "")])"
    }
}

/// The element count of a shape.
@inlinable public func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }
