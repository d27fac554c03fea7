/// Compares reverse-mode gradients with central finite differences.
///
/// The function's output is projected on a fixed random direction so that every output element
/// contributes; numeric derivatives are taken in Float32 inputs but the projection is summed in
/// Double. Use it to test ops, layers and plugin primitives:
///
/// ```swift
/// let result = GradientCheck.run(inputs: [x, w]) { t in t[0].matmul(t[1]).tanh() }
/// #expect(result.passed, "\(result)")
/// ```
public enum GradientCheck {
    /// The outcome of one check.
    public struct Result: CustomStringConvertible, Sendable {
        /// The largest |analytic - numeric| / max(1, |analytic|, |numeric|) over all checked elements.
        public var maxError: Double
        /// Where that worst element is: input index and flat element index.
        public var worst: (input: Int, element: Int)
        public var analytic: Double
        public var numeric: Double
        public var tolerance: Double
        public var passed: Bool { maxError <= tolerance }
        public var description: String {
            "gradient check: max error \(maxError) (tolerance \(tolerance)) at input \(worst.input) element \(worst.element): analytic \(analytic), numeric \(numeric)"
        }
    }

    /// Checks d(projection of f(inputs))/d(inputs) for every input that requires grad.
    ///
    /// - Parameters:
    ///   - inputs: the tensors to differentiate with respect to; each is made to require grad.
    ///   - epsilon: the finite-difference step.
    ///   - tolerance: the accepted relative error.
    ///   - maxElementsPerInput: at most this many elements of each input are perturbed (chosen evenly).
    ///   - f: the function; it must be deterministic (reseed any randomness inside it).
    public static func run(
        inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Double = 2e-2, maxElementsPerInput: Int = 64,
        seed: UInt64 = 7, _ f: ([Tensor]) -> Tensor
    ) -> Result {
        for x in inputs { x.requiresGrad = true; x.grad = nil }
        var rng = SeededGenerator(seed: seed)
        let probe = f(inputs)
        let direction = Tensor.randn(probe.shape, rng: &rng)
        func objective() -> Double {
            let y = withoutGrad { f(inputs) }
            var acc = 0.0
            for i in 0..<y.count { acc += Double(y.data[i]) * Double(direction.data[i]) }
            return acc
        }
        (probe * direction).sum().backward()
        var result = Result(maxError: 0, worst: (0, 0), analytic: 0, numeric: 0, tolerance: tolerance)
        for (index, x) in inputs.enumerated() {
            let analytic = x.grad?.values ?? [Float](repeating: 0, count: x.count)
            let step = max(1, x.count / maxElementsPerInput)
            for e in stride(from: 0, to: x.count, by: step) {
                let saved = x.data[e]
                x.data[e] = saved + epsilon
                let plus = objective()
                x.data[e] = saved - epsilon
                let minus = objective()
                x.data[e] = saved
                let numeric = (plus - minus) / (2 * Double(epsilon))
                let a = Double(analytic[e])
                let error = Swift.abs(a - numeric) / max(1, Swift.abs(a), Swift.abs(numeric))
                if error > result.maxError || result.maxError.isNaN == false && error.isNaN {
                    result.maxError = error.isNaN ? .infinity : error
                    result.worst = (index, e)
                    result.analytic = a
                    result.numeric = numeric
                }
            }
        }
        for x in inputs { x.grad = nil }
        return result
    }
}
