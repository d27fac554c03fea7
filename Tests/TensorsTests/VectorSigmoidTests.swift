import Foundation
import Testing
@testable import Tensors

/// The vectorised sigmoid behind the GLU gate must agree with the scalar one to a few ulps and
/// saturate cleanly.
@Suite struct VectorSigmoidTests {
    @Test func matchesScalarSigmoidAcrossTheRange() {
        let n = 20_003  // not a multiple of eight: exercises the scalar tail
        let xs = (0..<n).map { i in -100 + 200 * Float(i) / Float(n - 1) }
        var ys = [Float](repeating: .nan, count: n)
        xs.withUnsafeBufferPointer { src in
            ys.withUnsafeMutableBufferPointer { dst in sigmoidRun(src.baseAddress!, into: dst.baseAddress!, n) }
        }
        for (x, y) in zip(xs, ys) {
            let expected = 1 / (1 + Foundation.exp(-Double(x)))
            #expect(y.isFinite && y >= 0 && y <= 1, "sigmoid(\(x)) = \(y)")
            #expect(Swift.abs(Double(y) - expected) <= 4e-7 * Swift.max(expected, 1e-30) + 1e-37, "sigmoid(\(x)) = \(y), expected \(expected)")
        }
    }
}
