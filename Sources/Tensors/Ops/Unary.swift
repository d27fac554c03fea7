import Foundation

extension Tensor {
    /// An elementwise op `y = f(x)` whose derivative is expressed through `x` and `y`.
    @inline(__always)
    func unary(
        _ f: (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float
    ) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let p = data, o = out.data
        Threading.parallelFor(count) { s, e in for i in s..<e { o[i] = f(p[i]) } }
        // Capture the output's storage, not the output: the output owns this closure, and a
        // reference back to it would leak graphs that are never back-propagated.
        let y = out.storage
        return out.recorded(from: [self]) { [self] g in
            let gx = Tensor(uninitializedShape: shape)
            let pg = g.data, px = data, py = y.pointer, pgx = gx.data
            Threading.parallelFor(count) { s, e in
                for i in s..<e { pgx[i] = pg[i] * derivative(px[i], py[i]) }
            }
            accumulateGrad(gx)
        }
    }

    public func exp() -> Tensor { unary(Foundation.exp) { _, y in y } }
    public func log() -> Tensor { unary(Foundation.log) { x, _ in 1 / x } }
    public func sqrt() -> Tensor { unary(Foundation.sqrt) { _, y in 0.5 / y } }
    public func square() -> Tensor { unary({ $0 * $0 }) { x, _ in 2 * x } }
    public func pow(_ p: Float) -> Tensor {
        unary({ Foundation.pow($0, p) }) { x, _ in p * Foundation.pow(x, p - 1) }
    }
    public func abs() -> Tensor { unary(Swift.abs) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) } }
    /// Limits every element to `[low, high]`; the gradient is zero outside.
    public func clamp(min low: Float = -.infinity, max high: Float = .infinity) -> Tensor {
        unary({ Swift.min(Swift.max($0, low), high) }) { x, _ in x >= low && x <= high ? 1 : 0 }
    }

    /// `max(x, 0)`, with gradient `g` where `x > 0` and zero elsewhere.
    ///
    /// Written out rather than through `unary`: there the element function stays a closure called
    /// once per element, so neither loop vectorised, and ReLU and its gradient were a tenth of the
    /// main job's time (its encoders). The arithmetic is the same, so results are too.
    public func relu() -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let p = data, o = out.data
        Threading.parallelFor(count) { s, e in
            for i in s..<e {
                let x = p[i]
                o[i] = x > 0 ? x : 0
            }
        }
        return out.recorded(from: [self]) { [self] g in
            let gx = Tensor(uninitializedShape: shape)
            let pg = g.data, px = data, pgx = gx.data
            Threading.parallelFor(count) { s, e in
                for i in s..<e { pgx[i] = pg[i] * (px[i] > 0 ? 1 : 0) }
            }
            accumulateGrad(gx)
        }
    }
    public func leakyRelu(_ slope: Float = 0.01) -> Tensor {
        unary({ $0 > 0 ? $0 : slope * $0 }) { x, _ in x > 0 ? 1 : slope }
    }
    public func sigmoid() -> Tensor { unary(stableSigmoid) { _, y in y * (1 - y) } }
    public func tanh() -> Tensor { unary(Foundation.tanh) { _, y in 1 - y * y } }
    /// log(1 + e^x), computed without overflow.
    public func softplus() -> Tensor { unary(stableSoftplus) { x, _ in stableSigmoid(x) } }
    /// GELU with the tanh approximation (as in BERT and PyTorch's `approximate="tanh"`).
    public func gelu() -> Tensor {
        unary({ x in 0.5 * x * (1 + Foundation.tanh(geluC * (x + 0.044715 * x * x * x))) }) { x, _ in
            let inner = geluC * (x + 0.044715 * x * x * x)
            let t = Foundation.tanh(inner)
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * geluC * (1 + 3 * 0.044715 * x * x)
        }
    }
    /// x * tanh(softplus(x)).
    public func mish() -> Tensor {
        unary({ x in x * Foundation.tanh(stableSoftplus(x)) }) { x, _ in
            let t = Foundation.tanh(stableSoftplus(x))
            return t + x * (1 - t * t) * stableSigmoid(x)
        }
    }
}

let geluC: Float = 0.7978845608028654  // sqrt(2 / pi)

@inline(__always) func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
    let e = Foundation.exp(x)
    return e / (1 + e)
}

@inline(__always) func stableSoftplus(_ x: Float) -> Float {
    x > 0 ? x + Foundation.log1p(Foundation.exp(-x)) : Foundation.log1p(Foundation.exp(x))
}
