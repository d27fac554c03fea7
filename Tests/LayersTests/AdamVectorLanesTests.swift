import Foundation
import Layers
import Testing
import Tensors

extension LayersSuite {
    /// Adam and AdamW update sixteen elements at a time with a scalar loop for the rest
    /// (Sources/CKernels/adam_update.c); the other optimizer tests use one-element parameters and
    /// never reach the vector lanes. A 35-element parameter (two blocks of sixteen and a tail of
    /// three) is stepped several times with a different gradient per element and step, against the
    /// update written out in Double, and against the same update in Float, bit for bit.
    @Suite struct AdamVectorLanesTests {
        static let count = 35, steps = 4
        static let (lr, beta1, beta2, epsilon) = (0.01, 0.8, 0.95, 1e-8)

        /// Initial values and per-step gradients: distinct per element, so a lane that reads or
        /// writes its neighbour's slot shows.
        static let initial: [Double] = (0..<count).map { (i: Int) -> Double in 1.5 - 0.17 * Double(i) }
        static func gradient(step: Int) -> [Double] {
            (0..<count).map { (i: Int) -> Double in
                let phase = Double(7 * i + 3 * step + 1), scale = 0.2 + 0.1 * Double(i % 5)
                return sin(phase) * scale
            }
        }

        /// The parameter after `steps` updates: `l2` adds `l2 * p` to the gradient (Adam's
        /// `weightDecay`), `decoupled` shrinks `p` by `1 - lr * decoupled` first (AdamW's), and the
        /// first and second moments after the last step.
        static func reference(l2: Double, decoupled: Double) -> (p: [Double], m: [Double], v: [Double]) {
            var p = initial, m = [Double](repeating: 0, count: count), v = m
            for t in 1...steps {
                let g = gradient(step: t)
                for i in 0..<count {
                    p[i] *= 1 - lr * decoupled
                    let gi = g[i] + l2 * p[i]
                    m[i] = beta1 * m[i] + (1 - beta1) * gi
                    v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
                    let mHat = m[i] / (1 - pow(beta1, Double(t)))
                    let vHat = v[i] / (1 - pow(beta2, Double(t)))
                    p[i] -= lr * mHat / (vHat.squareRoot() + epsilon)
                }
            }
            return (p, m, v)
        }

        /// Runs `optimizer` over `parameter` for `steps` steps and compares with ``reference(l2:decoupled:)``.
        func expectMatchesReference(
            _ optimizer: any Optimizer, _ parameter: Tensor, l2: Double, decoupled: Double,
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            for t in 1...Self.steps {
                parameter.grad = Tensor(shape: [Self.count], values: Self.gradient(step: t).map(Float.init))
                optimizer.step()
            }
            let (p, m, v) = Self.reference(l2: l2, decoupled: decoupled)
            let state = optimizer.stateTensors()
            let actual: [(String, [Float], [Double])] = [
                ("parameter", parameter.values, p), ("exp_avg", state["exp_avg.0"]?.values ?? [], m),
                ("exp_avg_sq", state["exp_avg_sq.0"]?.values ?? [], v),
            ]
            for (name, values, expected) in actual {
                #expect(values.count == Self.count, "\(name): \(values.count) values", sourceLocation: sourceLocation)
                for (i, (a, e)) in zip(values, expected).enumerated() {
                    #expect(
                        Swift.abs(Double(a) - e) <= 1e-5 * Swift.max(1, Swift.abs(e)),
                        "\(name)[\(i)]: \(a) vs \(e)", sourceLocation: sourceLocation)
                }
            }
        }

        /// The update in Float, one element at a time, each product and sum rounded on its own: what
        /// the vector lanes must give exactly (a fused multiply-add or an approximate square root
        /// in the kernel would change the last bits).
        static func floatReference(l2: Float, decoupled: Float) -> [Float] {
            let (lr, beta1, beta2, epsilon) = (Float(lr), Float(beta1), Float(beta2), Float(epsilon))
            var p = initial.map(Float.init), m = [Float](repeating: 0, count: count), v = m
            for t in 1...steps {
                let g = gradient(step: t).map(Float.init)
                let stepSize = lr / (1 - Foundation.pow(beta1, Float(t)))
                let correction2 = (1 - Foundation.pow(beta2, Float(t))).squareRoot()
                for i in 0..<count {
                    if decoupled != 0 { p[i] = p[i] * (1 - lr * decoupled) }
                    let gi = g[i] + l2 * p[i]
                    let a = beta1 * m[i], b = (1 - beta1) * gi
                    m[i] = a + b
                    let c = beta2 * v[i], d = (1 - beta2) * gi * gi
                    v[i] = c + d
                    let numerator = stepSize * m[i], denominator = v[i].squareRoot() / correction2 + epsilon
                    p[i] = p[i] - numerator / denominator
                }
            }
            return p
        }

        @Test(arguments: [(0, 0), (0.3, 0), (0, 0.3)] as [(Float, Float)])
        func vectorLanesEqualTheScalarFloatUpdateBitForBit(l2: Float, decoupled: Float) {
            let parameter = Tensor(shape: [Self.count], values: Self.initial.map(Float.init)).requiringGrad()
            let betas = (Float(Self.beta1), Float(Self.beta2))
            let optimizer: any Optimizer =
                decoupled != 0
                ? AdamW(
                    parameters: [parameter], learningRate: Float(Self.lr), betas: betas, epsilon: Float(Self.epsilon),
                    weightDecay: decoupled)
                : Adam(
                    parameters: [parameter], learningRate: Float(Self.lr), betas: betas, epsilon: Float(Self.epsilon),
                    weightDecay: l2)
            for t in 1...Self.steps {
                parameter.grad = Tensor(shape: [Self.count], values: Self.gradient(step: t).map(Float.init))
                optimizer.step()
            }
            let expected = Self.floatReference(l2: l2, decoupled: decoupled)
            for (i, (a, e)) in zip(parameter.values, expected).enumerated() {
                #expect(a.bitPattern == e.bitPattern, "parameter[\(i)]: \(a) vs \(e)")
            }
        }

        @Test(arguments: [0.0, 0.3])
        func adamMatchesTheDoubleUpdate(weightDecay: Double) {
            let parameter = Tensor(shape: [Self.count], values: Self.initial.map(Float.init)).requiringGrad()
            let adam = Adam(
                parameters: [parameter], learningRate: Float(Self.lr), betas: (Float(Self.beta1), Float(Self.beta2)),
                epsilon: Float(Self.epsilon), weightDecay: Float(weightDecay))
            expectMatchesReference(adam, parameter, l2: weightDecay, decoupled: 0)
        }

        @Test(arguments: [0.0, 0.3])
        func adamWMatchesTheDoubleUpdate(weightDecay: Double) {
            let parameter = Tensor(shape: [Self.count], values: Self.initial.map(Float.init)).requiringGrad()
            let adamW = AdamW(
                parameters: [parameter], learningRate: Float(Self.lr), betas: (Float(Self.beta1), Float(Self.beta2)),
                epsilon: Float(Self.epsilon), weightDecay: Float(weightDecay))
            expectMatchesReference(adamW, parameter, l2: 0, decoupled: weightDecay)
        }
    }
}
