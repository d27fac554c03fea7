import Synchronization

/// One recorded op: its inputs and how to send the output's gradient back to them.
final class GradNode {
    /// Creation order; every consumer of a tensor has a larger sequence number than its producer.
    let sequence: Int
    let inputs: [Tensor]
    let backward: (Tensor) -> Void

    /// Atomic because graphs may be built on several threads at once (for example parallel tests).
    static let sequenceCounter = Atomic<Int>(0)

    init(inputs: [Tensor], backward: @escaping (Tensor) -> Void) {
        sequence = GradNode.sequenceCounter.add(1, ordering: .relaxed).newValue
        self.inputs = inputs
        self.backward = backward
    }
}

extension Tensor {
    /// Whether an op over `inputs` must be recorded.
    @inlinable static func needsRecording(_ inputs: [Tensor]) -> Bool {
        GradMode.isEnabled && inputs.contains { $0.requiresGrad }
    }

    /// Records that `self` was computed from `inputs`; `backward` receives `self`'s gradient and
    /// calls ``accumulateGrad(_:)`` on the inputs that require it. Does nothing when recording is off.
    @discardableResult
    public func recorded(from inputs: [Tensor], backward: @escaping (_ outputGrad: Tensor) -> Void) -> Tensor {
        guard Tensor.needsRecording(inputs) else { return self }
        requiresGrad = true
        gradNode = GradNode(inputs: inputs, backward: backward)
        return self
    }

    /// Adds `g` to this tensor's gradient (used by backward functions).
    public func accumulateGrad(_ g: Tensor) {
        precondition(g.shape == shape, "accumulateGrad: gradient shape \(g.shape) does not match tensor shape \(shape)")
        if let existing = grad {
            let sum = Tensor(uninitializedShape: shape)
            let a = existing.data, b = g.data, o = sum.data
            Threading.parallelFor(count) { s, e in for i in s..<e { o[i] = a[i] + b[i] } }
            grad = sum
        } else {
            grad = g
        }
    }

    /// Back-propagates from this tensor: fills ``grad`` on every leaf that requires it, then frees the graph.
    ///
    /// - Parameter seed: the gradient of the final objective with respect to this tensor; defaults to
    ///   ones, which for a scalar loss is d loss / d loss.
    public func backward(_ seed: Tensor? = nil) {
        precondition(requiresGrad, "backward: the tensor does not require grad (was it computed inside withoutGrad, or from inputs that need no gradient?)")
        // Collect every recorded tensor reachable from self.
        var nodes: [Tensor] = []
        var seen = Set<ObjectIdentifier>()
        var stack: [Tensor] = [self]
        while let t = stack.popLast() {
            guard let node = t.gradNode, seen.insert(ObjectIdentifier(t)).inserted else { continue }
            nodes.append(t)
            for input in node.inputs where input.gradNode != nil { stack.append(input) }
        }
        nodes.sort { $0.gradNode!.sequence > $1.gradNode!.sequence }
        accumulateGrad(seed ?? Tensor(shape: shape, repeating: 1))
        for t in nodes {
            let node = t.gradNode!
            t.gradNode = nil
            guard let g = t.grad else { continue }
            t.grad = nil  // intermediate gradients are not kept
            t.requiresGrad = false  // its graph is gone; it is a plain value from now on
            node.backward(g)
        }
    }
}
