import Testing
@testable import Tensors

/// LayerNorm and BatchNorm take their statistics and backward sums with 16-wide vector loops
/// (``vectorSum(_:_:)`` and friends), which only run for rows of 16 elements or more: the small
/// shapes of the other normalisation tests never reach them. Here the rows are exactly one vector
/// (16), two vectors (32) and two vectors plus a scalar tail (35, 17), compared with a plain
/// Double implementation and with finite differences.
@Suite struct NormalizationAtVectorWidthsTests {
    /// Population mean and variance of `values`, in Double.
    func statistics(_ values: [Double]) -> (mean: Double, variance: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        return (mean, variance)
    }

    /// Values off zero mean and unit spread, so that a wrong mean or variance changes the output.
    func input(_ shape: [Int], seed: UInt64) -> Tensor { uniformTensor(shape, seed: seed, low: -1, high: 3) }

    @Test(arguments: [16, 32, 35])
    func layerNormMatchesADoubleReference(n: Int) {
        let rows = 3, epsilon = 1e-5
        let x = input([rows, n], seed: 500 + UInt64(n))
        let w = uniformTensor([n], seed: 600 + UInt64(n)), b = uniformTensor([n], seed: 700 + UInt64(n))
        let y = layerNorm(x, normalizedCount: n, weight: w, bias: b, epsilon: Float(epsilon))
        var expected: [Float] = []
        for r in 0..<rows {
            let row = x.values[(r * n)..<((r + 1) * n)].map(Double.init)
            let (mean, variance) = statistics(row)
            for i in 0..<n {
                expected.append(Float((row[i] - mean) / (variance + epsilon).squareRoot() * Double(w.values[i]) + Double(b.values[i])))
            }
        }
        expectClose(y.values, expected, tolerance: 1e-5)
    }

    /// With and without the affine parameters: without a weight the backward uses a weight of ones.
    @Test(arguments: [16, 32, 35])
    func layerNormGradientsMatchFiniteDifferences(n: Int) {
        let x = input([2, n], seed: 800 + UInt64(n))
        let w = uniformTensor([n], seed: 810 + UInt64(n)), b = uniformTensor([n], seed: 820 + UInt64(n))
        expectGradientsMatch([x, w, b]) { t in layerNorm(t[0], normalizedCount: n, weight: t[1], bias: t[2]) }
        expectGradientsMatch([x]) { t in layerNorm(t[0], normalizedCount: n, weight: nil, bias: nil) }
    }

    /// Training mode: the output from the batch statistics of each channel over (N, L), and the
    /// running estimates moved towards the batch mean and the unbiased variance.
    @Test(arguments: [16, 17])
    func batchNormMatchesADoubleReference(length: Int) {
        let (batch, channels, momentum, epsilon) = (3, 2, 0.25, 1e-5)
        let x = input([batch, channels, length], seed: 900 + UInt64(length))
        let w = uniformTensor([channels], seed: 910 + UInt64(length)), b = uniformTensor([channels], seed: 920 + UInt64(length))
        let runningMean = Tensor(shape: [channels], values: [0.5, -0.5]), runningVariance = Tensor(shape: [channels], values: [2, 0.5])
        let y = batchNorm(
            x, runningMean: runningMean, runningVariance: runningVariance, weight: w, bias: b, training: true,
            momentum: Float(momentum), epsilon: Float(epsilon))
        var expected = [Float](repeating: 0, count: x.count)
        var expectedMean: [Float] = [], expectedVariance: [Float] = []
        for c in 0..<channels {
            let indices = (0..<batch).flatMap { n in (0..<length).map { (n * channels + c) * length + $0 } }
            let values = indices.map { Double(x.values[$0]) }
            let (mean, variance) = statistics(values)
            for (i, v) in zip(indices, values) {
                expected[i] = Float((v - mean) / (variance + epsilon).squareRoot() * Double(w.values[c]) + Double(b.values[c]))
            }
            let unbiased = variance * Double(values.count) / Double(values.count - 1)
            expectedMean.append(Float((1 - momentum) * Double([0.5, -0.5][c]) + momentum * mean))
            expectedVariance.append(Float((1 - momentum) * Double([2, 0.5][c]) + momentum * unbiased))
        }
        expectClose(y.values, expected, tolerance: 1e-5)
        expectClose(runningMean.values, expectedMean, tolerance: 1e-5)
        expectClose(runningVariance.values, expectedVariance, tolerance: 1e-5)
    }

    @Test(arguments: [16, 17])
    func batchNormGradientsMatchFiniteDifferences(length: Int) {
        let x = input([3, 2, length], seed: 930 + UInt64(length))
        let w = uniformTensor([2], seed: 940 + UInt64(length)), b = uniformTensor([2], seed: 950 + UInt64(length))
        expectGradientsMatch([x, w, b]) { t in
            // Fresh running statistics each evaluation: training mode updates them in place.
            batchNorm(t[0], runningMean: Tensor.zeros([2]), runningVariance: Tensor.ones([2]), weight: t[1], bias: t[2], training: true)
        }
    }
}
