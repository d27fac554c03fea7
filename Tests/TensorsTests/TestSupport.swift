import TestSupport
import Testing
@testable import Tensors

/// Uniform values in `[low, high)` from a fixed seed.
func uniformTensor(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: low, high: high, rng: &rng)
}

/// Values whose magnitude is in `[0.2, 1)` with random signs: far from the kinks of relu, abs and
/// friends at zero compared with the finite-difference step.
func awayFromZeroTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    let values = (0..<elementCount(shape)).map { _ -> Float in
        let magnitude = 0.2 + 0.8 * rng.uniform()
        return rng.next() & 1 == 0 ? magnitude : -magnitude
    }
    return Tensor(shape: shape, values: values)
}

/// Distinct values spaced by 0.1 in shuffled order, so maxima have no near ties.
func distinctTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    let values = (0..<elementCount(shape)).map { Float($0) * 0.1 }.shuffled(using: &rng)
    return Tensor(shape: shape, values: values)
}

/// Expects reverse-mode gradients of `f` to match central finite differences, within
/// ``GradientCheck``'s tolerances (its defaults explain the values).
func expectGradientsMatch(
    _ inputs: [Tensor], tolerance: Double = GradientCheck.defaultTolerance, epsilon: Float = 1e-2,
    rmsTolerance: Double = GradientCheck.defaultRMSTolerance,
    sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) -> Tensor
) {
    let result = GradientCheck.run(inputs: inputs, epsilon: epsilon, tolerance: tolerance, rmsTolerance: rmsTolerance, f)
    #expect(result.passed, "\(result)", sourceLocation: sourceLocation)
}

/// Expects two value lists to agree elementwise within `tolerance` (absolute, or relative for large values).
func expectClose(
    _ actual: [Float], _ expected: [Float], tolerance: Float = 1e-4,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        let scale = Swift.max(1, Swift.abs(e))
        #expect(
            Swift.abs(a - e) <= tolerance * scale, "element \(i): \(a) vs expected \(e) (all: \(actual))",
            sourceLocation: sourceLocation)
    }
}
