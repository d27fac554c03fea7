import Tensors

/// Compares reverse-mode gradients with central finite differences.
///
/// The function's output `y` is reduced to the objective `Σ d_i y_i`, where the direction `d` is 1
/// for a rank-0 output and a fixed pattern of random signs (±1) otherwise, summed in Double. Unit
/// weights matter: with a shrunken direction (for instance one normal draw of about 0.15 for a
/// scalar loss) the gradient being compared shrinks with it and an absolute tolerance then accepts
/// a zero or doubled backward. Signs rather than normal draws, so that no output element gets a
/// weight near zero and escapes the check.
///
/// Each checked element must satisfy
///
///     |analytic - numeric| <= rmsTolerance * rms(numeric over that input) + tolerance * |numeric|
///                             + rounding
///
/// The relative term judges large entries on their own; the term scaled by the input's
/// root-mean-square gradient keeps entries near zero (where a relative error means nothing) from
/// failing on rounding noise, without letting a whole tensor's gradient be off by a factor. A
/// backward scaled by 0.9 or by 0 therefore fails at the default tolerances.
///
/// `rounding` is the noise of the difference quotient itself: the outputs are Float32, so each
/// evaluation of the objective is off by about `ulp(1) · ‖y‖₂` (independent roundings of the
/// outputs add in quadrature), and the quotient by that over `2ε`; ``roundingFactor`` of that is
/// allowed. It matters for inputs whose true gradient is zero (a bias followed by a batch norm),
/// where the numeric derivative is nothing but that noise and both other terms vanish with it.
///
/// Networks with ReLUs have kinks wherever a pre-activation is near zero, and in a whole network
/// some always are. With `toleratesKinks` each element may also be off by
/// `|f(x+ε) - 2 f(x) + f(x-ε)| / (2ε)` (of the objective): for a piecewise-linear function with a
/// kink inside the step that is exactly the central difference's error, and for a smooth function
/// it is about `ε |f''| / 2`, so the numeric derivative is trusted as far as the function is
/// linear over the step. Equivalently, the analytic value may lie anywhere between the forward and
/// the backward one-sided differences (one of which is exact beside a single kink). It does not depend on the backward, so a wrong backward still fails where
/// the function is smooth. Ops are better checked without it, at inputs away from their kinks.
///
/// Use it to test ops, layers and primitives (test targets depend on `TestSupport`, which is no
/// part of the `FusionNAS` library that plugins link):
///
/// ```swift
/// let result = GradientCheck.run(inputs: [x, w]) { t in t[0].matmul(t[1]).tanh() }
/// #expect(result.passed, "\(result)")
/// ```
public enum GradientCheck {
    /// The default relative tolerance.
    ///
    /// With the default step of 1e-2 and inputs of order one, the central difference's truncation
    /// error is about ε²·|f'''|/6 ≈ 2e-5 relative for smooth ops, and Float32 rounding of the
    /// outputs, divided by 2ε, adds about 1e-7·|y|·√n / 0.02 (below 1e-4 for the tens to hundreds
    /// of outputs of a check). 1e-2 leaves two orders of magnitude of margin for ops whose
    /// intermediates cancel (normalisations, variances) while a gradient that is 10 % off fails.
    public static let defaultTolerance = 1e-2

    /// The default tolerance relative to the input's root-mean-square numeric gradient.
    ///
    /// It covers elements whose gradient is small compared with the rest of the tensor, where the
    /// same absolute rounding noise is a large relative error; 1e-3 of the typical entry is still
    /// far below any error a wrong backward makes on a whole tensor.
    public static let defaultRMSTolerance = 1e-3

    /// How many times the estimated rounding noise of the difference quotient is allowed.
    ///
    /// Measured: through the BM-NAS found network (two cells of batch norms, attention, GLU) the
    /// quotient of a bias with zero true gradient came out at up to 4.8 times the estimate at
    /// ε = 1e-3 (internal roundings add to the outputs' own); 8 covers that and stays far below the
    /// gradients checked (the floor is about 1e-4 for a hundred outputs of order one at ε = 1e-2,
    /// ten times more at ε = 1e-3 and a hundred at 1e-4: small steps make weak checks).
    public static let roundingFactor = 8.0

    /// The outcome of one check.
    public struct Result: CustomStringConvertible, Sendable {
        /// The largest ratio of |analytic - numeric| to the error allowed for that element (infinite
        /// for a NaN); the check passes when it is at most 1.
        public var maxError: Double
        /// Where that worst element is: input index and flat element index.
        public var worst: (input: Int, element: Int)
        public var analytic: Double
        public var numeric: Double
        /// The error allowed at the worst element.
        public var allowed: Double
        /// The relative tolerance and the tolerance relative to the input's rms gradient.
        public var tolerance: Double
        public var rmsTolerance: Double
        public var passed: Bool { maxError <= 1 }
        public var description: String {
            "gradient check: worst element at input \(worst.input) element \(worst.element): analytic \(analytic), numeric \(numeric), "
                + "error \(Swift.abs(analytic - numeric)) is \(maxError) times the allowed \(allowed) "
                + "(tolerance \(tolerance) relative, \(rmsTolerance) of the input's rms gradient)"
        }
    }

    /// Checks d(Σ d_i f(inputs)_i)/d(inputs) for every input (each is made to require grad).
    ///
    /// - Parameters:
    ///   - inputs: the tensors to differentiate with respect to; each is made to require grad.
    ///   - epsilon: the finite-difference step.
    ///   - tolerance: the accepted error relative to the element's numeric gradient.
    ///   - rmsTolerance: the accepted error relative to the root-mean-square numeric gradient of the
    ///     element's input (over the checked elements).
    ///   - maxElementsPerInput: at most this many elements of each input are perturbed (chosen evenly).
    ///   - toleratesKinks: also allows the error that the objective's second difference over the
    ///     step explains (see above); for networks whose ReLUs cannot all be kept from their kinks.
    ///   - seed: draws the signs of the direction.
    ///   - f: the function; it must be deterministic (reseed any randomness inside it).
    public static func run(
        inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Double = defaultTolerance,
        rmsTolerance: Double = defaultRMSTolerance, maxElementsPerInput: Int = 64,
        toleratesKinks: Bool = false, seed: UInt64 = 7, _ f: ([Tensor]) -> Tensor
    ) -> Result {
        for x in inputs { x.requiresGrad = true; x.grad = nil }
        let probe = f(inputs)
        let direction = signs(count: probe.count, scalar: probe.rank == 0, seed: seed)
        func objective() -> Double {
            let y = withoutGrad { f(inputs) }
            var acc = 0.0
            for i in 0..<y.count { acc += Double(y.data[i]) * direction[i] }
            return acc
        }
        // The direction is the seed of the backward pass: no extra op (whose own backward would
        // be under test too) sits between the function and the objective.
        probe.backward(Tensor(shape: probe.shape, values: direction.map(Float.init)))
        let outputNorm = (0..<probe.count).reduce(0.0) { $0 + Double(probe.data[$1]) * Double(probe.data[$1]) }.squareRoot()
        let analyticGradients = inputs.map { $0.grad?.values ?? [Float](repeating: 0, count: $0.count) }
        for x in inputs { x.grad = nil }
        let center = toleratesKinks ? objective() : 0
        var result = Result(
            maxError: 0, worst: (0, 0), analytic: 0, numeric: 0, allowed: 0, tolerance: tolerance,
            rmsTolerance: rmsTolerance)
        for (index, x) in inputs.enumerated() {
            let step = max(1, x.count / maxElementsPerInput)
            let elements = Array(stride(from: 0, to: x.count, by: step))
            // The central difference and, with `toleratesKinks`, the error a kink would explain.
            let differences = elements.map { e -> (numeric: Double, kink: Double) in
                let saved = x.data[e]
                x.data[e] = saved + epsilon
                let plus = objective()
                x.data[e] = saved - epsilon
                let minus = objective()
                x.data[e] = saved
                // The step actually taken: saved ± epsilon is rounded to Float32.
                let width = Double(saved + epsilon) - Double(saved - epsilon)
                return ((plus - minus) / width, toleratesKinks ? Swift.abs(plus - 2 * center + minus) / width : 0)
            }
            let numeric = differences.map(\.numeric)
            let rms = (numeric.reduce(0) { $0 + $1 * $1 } / Double(max(1, numeric.count))).squareRoot()
            for (k, e) in elements.enumerated() {
                let a = Double(analyticGradients[index][e]), n = numeric[k]
                let rounding = roundingFactor * Double(Float.ulpOfOne) * outputNorm / (2 * Double(epsilon))
                let allowed = rmsTolerance * rms + tolerance * Swift.abs(n) + rounding + differences[k].kink
                let error = Swift.abs(a - n)
                // Exact agreement passes even where nothing is allowed (an input with no effect).
                let ratio = error.isNaN ? .infinity : error == 0 ? 0 : error / allowed
                if ratio > result.maxError || (ratio.isNaN && !result.maxError.isNaN) {
                    result.maxError = ratio.isNaN ? .infinity : ratio
                    result.worst = (index, e)
                    result.analytic = a
                    result.numeric = n
                    result.allowed = allowed
                }
            }
        }
        return result
    }

    /// The projection direction: 1 for a rank-0 output, else random signs from `seed`.
    static func signs(count: Int, scalar: Bool, seed: UInt64) -> [Double] {
        if scalar { return [1] }
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in rng.next() & 1 == 0 ? 1 : -1 }
    }
}
