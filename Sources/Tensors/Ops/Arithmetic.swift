/// Elementwise arithmetic with broadcasting, and scalar forms.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let out = Tensor(uninitializedShape: broadcastShape(a.shape, b.shape, op: "add"))
        broadcastApply(a, b, out, +)
        return out.recorded(from: [a, b]) { g in
            if a.requiresGrad { a.accumulateGrad(g.sumToShape(a.shape)) }
            if b.requiresGrad { b.accumulateGrad(g.sumToShape(b.shape)) }
        }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let out = Tensor(uninitializedShape: broadcastShape(a.shape, b.shape, op: "sub"))
        broadcastApply(a, b, out, -)
        return out.recorded(from: [a, b]) { g in
            if a.requiresGrad { a.accumulateGrad(g.sumToShape(a.shape)) }
            if b.requiresGrad { b.accumulateGrad((-g).sumToShape(b.shape)) }
        }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let out = Tensor(uninitializedShape: broadcastShape(a.shape, b.shape, op: "mul"))
        broadcastApply(a, b, out, *)
        return out.recorded(from: [a, b]) { g in
            if a.requiresGrad { a.accumulateGrad(withoutGrad { g * b.detached() }.sumToShape(a.shape)) }
            if b.requiresGrad { b.accumulateGrad(withoutGrad { g * a.detached() }.sumToShape(b.shape)) }
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let out = Tensor(uninitializedShape: broadcastShape(a.shape, b.shape, op: "div"))
        broadcastApply(a, b, out, /)
        // A detached view of the result, so that the closure does not keep its owner alive.
        let quotient = out.detached()
        return out.recorded(from: [a, b]) { g in
            withoutGrad {
                let bd = b.detached()
                if a.requiresGrad { a.accumulateGrad((g / bd).sumToShape(a.shape)) }
                if b.requiresGrad { b.accumulateGrad((-(g * quotient) / bd).sumToShape(b.shape)) }
            }
        }
    }

    public static prefix func - (x: Tensor) -> Tensor { x.mapScalar(-1, 0) }

    public static func + (a: Tensor, s: Float) -> Tensor { a.mapScalar(1, s) }
    public static func + (s: Float, a: Tensor) -> Tensor { a.mapScalar(1, s) }
    public static func - (a: Tensor, s: Float) -> Tensor { a.mapScalar(1, -s) }
    public static func - (s: Float, a: Tensor) -> Tensor { a.mapScalar(-1, s) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.mapScalar(s, 0) }
    public static func * (s: Float, a: Tensor) -> Tensor { a.mapScalar(s, 0) }
    public static func / (a: Tensor, s: Float) -> Tensor { a.mapScalar(1 / s, 0) }
    public static func / (s: Float, a: Tensor) -> Tensor { Tensor(s) / a }

    /// `scale * x + shift`, elementwise.
    public func mapScalar(_ scale: Float, _ shift: Float) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let p = data, o = out.data
        Threading.parallelFor(count) { s, e in for i in s..<e { o[i] = scale * p[i] + shift } }
        return out.recorded(from: [self]) { [self] g in
            accumulateGrad(scale == 1 ? g : withoutGrad { g.mapScalar(scale, 0) })
        }
    }
}
