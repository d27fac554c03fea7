import Testing
@testable import Tensors

/// `pointwiseConv1d` and `lowRankFusion` move (B, C, L) maps to (C, B·L) and back with
/// ``swapOuterAxes(_:into:outer:inner:length:outerBias:)``, which copies each row as one SIMD16
/// vector when L = 16 (BM-NAS's length) and element by element otherwise. The other tests use
/// short lengths and never reach the vector copy; here L = 16 and L = 17 are compared with a plain
/// Double implementation and with finite differences. Without a bias every copy, forward and
/// backward, is the plain row copy (a bias is added during the copy back, on the other path).
@Suite struct RowCopyAtVectorLengthTests {
    /// `y[b, o, l] = bias[o] + Σ_i w[o, i] x[b, i, l]` in Double.
    func pointwiseReference(_ x: Tensor, _ w: Tensor, _ bias: Tensor?) -> [Float] {
        let (batch, cin, length, cout) = (x.shape[0], x.shape[1], x.shape[2], w.shape[0])
        var y: [Float] = []
        for b in 0..<batch {
            for o in 0..<cout {
                for l in 0..<length {
                    var acc = bias.map { Double($0.values[o]) } ?? 0
                    for i in 0..<cin { acc += Double(w.values[o * cin + i]) * Double(x.values[(b * cin + i) * length + l]) }
                    y.append(Float(acc))
                }
            }
        }
        return y
    }

    @Test(arguments: [16, 17], [false, true])
    func pointwiseConv1dMatchesADoubleReference(length: Int, withBias: Bool) {
        let x = uniformTensor([3, 4, length], seed: 1000 + UInt64(length))
        let w = uniformTensor([5, 4], seed: 1010 + UInt64(length))
        let bias = withBias ? uniformTensor([5], seed: 1020 + UInt64(length)) : nil
        let y = pointwiseConv1d(x, weight: w, bias: bias)
        #expect(y.shape == [3, 5, length])
        expectClose(y.values, pointwiseReference(x, w, bias), tolerance: 1e-5)
    }

    @Test(arguments: [16, 17], [false, true])
    func pointwiseConv1dGradientsMatchFiniteDifferences(length: Int, withBias: Bool) {
        let x = uniformTensor([3, 4, length], seed: 1030 + UInt64(length))
        let w = uniformTensor([5, 4], seed: 1040 + UInt64(length))
        if withBias {
            let bias = uniformTensor([5], seed: 1050 + UInt64(length))
            expectGradientsMatch([x, w, bias]) { t in pointwiseConv1d(t[0], weight: t[1], bias: t[2]) }
        } else {
            expectGradientsMatch([x, w]) { t in pointwiseConv1d(t[0], weight: t[1], bias: nil) }
        }
    }

    /// `z[b, c, l] = Σ_r Π_i (Σ_j W_i[r·C + c, j] x_i[b, j, l] + b_i[r·C + c])` in Double.
    func lowRankReference(_ inputs: [Tensor], _ weights: [Tensor], _ biases: [Tensor], rank: Int) -> [Float] {
        let (batch, channels, length) = (inputs[0].shape[0], inputs[0].shape[1], inputs[0].shape[2])
        var z: [Float] = []
        for b in 0..<batch {
            for c in 0..<channels {
                for l in 0..<length {
                    var total = 0.0
                    for r in 0..<rank {
                        let row = r * channels + c
                        var product = 1.0
                        for (i, x) in inputs.enumerated() {
                            var projection = Double(biases[i].values[row])
                            for j in 0..<channels {
                                projection += Double(weights[i].values[row * channels + j]) * Double(x.values[(b * channels + j) * length + l])
                            }
                            product *= projection
                        }
                        total += product
                    }
                    z.append(Float(total))
                }
            }
        }
        return z
    }

    @Test(arguments: [16, 17])
    func lowRankFusionMatchesADoubleReference(length: Int) {
        let (channels, rank) = (3, 2)
        let seed = 1100 + UInt64(length)
        let inputs = (0..<2).map { uniformTensor([2, channels, length], seed: seed + UInt64($0)) }
        let weights = (0..<2).map { uniformTensor([rank * channels, channels], seed: seed + 10 + UInt64($0)) }
        let biases = (0..<2).map { uniformTensor([rank * channels], seed: seed + 20 + UInt64($0)) }
        let z = lowRankFusion(inputs, weights: weights, biases: biases, rank: rank)
        #expect(z.shape == [2, channels, length])
        expectClose(z.values, lowRankReference(inputs, weights, biases, rank: rank), tolerance: 1e-5)
    }

    @Test(arguments: [16, 17])
    func lowRankFusionGradientsMatchFiniteDifferences(length: Int) {
        let (channels, rank) = (3, 2)
        let seed = 1200 + UInt64(length)
        let inputs: [Tensor] = (0..<2).map { uniformTensor([2, channels, length], seed: seed + UInt64($0)) }
        let weights: [Tensor] = (0..<2).map { uniformTensor([rank * channels, channels], seed: seed + 10 + UInt64($0)) }
        let biases: [Tensor] = (0..<2).map { uniformTensor([rank * channels], seed: seed + 20 + UInt64($0)) }
        expectGradientsMatch(inputs + weights + biases) { t in
            lowRankFusion(Array(t[0..<2]), weights: Array(t[2..<4]), biases: Array(t[4...]), rank: rank)
        }
    }
}
