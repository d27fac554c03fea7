import TestSupport
import Testing
import Tensors

extension LayersSuite {
    @Suite struct NormalizationOpTests {
        @Test func layerNormGradientsOverTrailingTwoAxes() {
            var rng = SeededGenerator(seed: 1)
            let x = Tensor.randn([2, 3, 4], rng: &rng)
            let w = Tensor.randn([3, 4], rng: &rng)
            let b = Tensor.randn([3, 4], rng: &rng)
            let result = GradientCheck.run(inputs: [x, w, b]) { t in
                layerNorm(t[0], normalizedCount: 12, weight: t[1], bias: t[2])
            }
            #expect(result.passed, "\(result)")
        }

        @Test func layerNormGradientsWithoutAffine() {
            var rng = SeededGenerator(seed: 2)
            let x = Tensor.randn([3, 5], rng: &rng)
            let result = GradientCheck.run(inputs: [x]) { t in layerNorm(t[0], normalizedCount: 5, weight: nil, bias: nil) }
            #expect(result.passed, "\(result)")
        }

        /// Each affine half alone takes its own branch in the forward and backward passes.
        @Test func layerNormGradientsWithOnlyAWeightOrOnlyABias() {
            var rng = SeededGenerator(seed: 9)
            let x = Tensor.randn([3, 2, 4], rng: &rng)
            let w = Tensor.randn([4], rng: &rng), b = Tensor.randn([4], rng: &rng)
            let weightOnly = GradientCheck.run(inputs: [x, w]) { t in layerNorm(t[0], normalizedCount: 4, weight: t[1], bias: nil) }
            #expect(weightOnly.passed, "weight only: \(weightOnly)")
            let biasOnly = GradientCheck.run(inputs: [x, b]) { t in layerNorm(t[0], normalizedCount: 4, weight: nil, bias: t[1]) }
            #expect(biasOnly.passed, "bias only: \(biasOnly)")
        }

        /// The fused ReLU's backward mask, in training (batch statistics) and evaluation mode. A step
        /// of 1e-2 moves a normalised pre-activation by about 1e-2 · |w| / std (plus 1/N of that
        /// through the statistics), so pre-activations 0.1 from zero stay on their side.
        @Test(arguments: [true, false])
        func batchNormWithFusedReLUGradients(training: Bool) throws {
            let w = Tensor(shape: [2], values: [1.5, -0.8]), b = Tensor(shape: [2], values: [0.2, -0.1])
            let runningMean = Tensor(shape: [2], values: [0.3, -0.2]), runningVariance = Tensor(shape: [2], values: [1.5, 0.6])
            func normalized(_ x: Tensor, _ w: Tensor, _ b: Tensor, relu: Bool) -> Tensor {
                // Copies: training mode updates the running statistics, which must not drift between evaluations.
                batchNorm(
                    x, runningMean: runningMean.copy(), runningVariance: runningVariance.copy(), weight: w, bias: b,
                    training: training, relu: relu)
            }
            let x = try #require(firstNormalTensor([4, 2, 3], seed: 40) { x in
                clearOfKink(withoutGrad { normalized(x, w, b, relu: false) }.values, margin: 0.1)
            })
            let result = GradientCheck.run(inputs: [x, w, b]) { t in normalized(t[0], t[1], t[2], relu: true) }
            #expect(result.passed, "training \(training): \(result)")
        }

        @Test func layerNormRowsHaveZeroMeanAndUnitVariance() {
            let x = Tensor(shape: [2, 4], values: [1, 2, 3, 4, -2, 0, 2, 8])
            let y = layerNorm(x, normalizedCount: 4, weight: nil, bias: nil, epsilon: 0)
            for r in 0..<2 {
                let row = Array(y.values[(r * 4)..<(r * 4 + 4)])
                let mean = row.reduce(0, +) / 4
                let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
                #expect(Swift.abs(mean) < 1e-6)
                #expect(Swift.abs(variance - 1) < 1e-5)
            }
        }

        @Test func batchNormTrainingGradientsFor2DAnd3DInputs() {
            var rng = SeededGenerator(seed: 3)
            for shape in [[5, 3], [3, 2, 4]] {
                let x = Tensor.randn(shape, rng: &rng)
                let w = Tensor.randn([shape[1]], rng: &rng)
                let b = Tensor.randn([shape[1]], rng: &rng)
                let mean = Tensor.zeros([shape[1]]), variance = Tensor.ones([shape[1]])
                let result = GradientCheck.run(inputs: [x, w, b]) { t in
                    batchNorm(t[0], runningMean: mean, runningVariance: variance, weight: t[1], bias: t[2], training: true)
                }
                #expect(result.passed, "\(shape): \(result)")
            }
        }

        @Test func batchNormEvaluationGradients() {
            var rng = SeededGenerator(seed: 4)
            let x = Tensor.randn([3, 2, 4], rng: &rng)
            let w = Tensor.randn([2], rng: &rng)
            let b = Tensor.randn([2], rng: &rng)
            let mean = Tensor(shape: [2], values: [0.5, -1]), variance = Tensor(shape: [2], values: [2, 0.25])
            let result = GradientCheck.run(inputs: [x, w, b]) { t in
                batchNorm(t[0], runningMean: mean, runningVariance: variance, weight: t[1], bias: t[2], training: false)
            }
            #expect(result.passed, "\(result)")
            #expect(mean.values == [0.5, -1] && variance.values == [2, 0.25], "evaluation must not touch running statistics")
        }

        @Test func batchNormRunningStatisticsMatchHandComputation() {
            // Channel 0 holds 1, 2, 3, 6 (mean 3, biased var 3.5, unbiased 14/3); channel 1 holds 0, 0, 4, 4.
            let x = Tensor(shape: [2, 2, 2], values: [1, 2, 0, 0, 3, 6, 4, 4])
            let mean = Tensor(shape: [2], values: [1, 1]), variance = Tensor(shape: [2], values: [1, 1])
            let y = batchNorm(x, runningMean: mean, runningVariance: variance, weight: nil, bias: nil, training: true, momentum: 0.25, epsilon: 0)
            #expect(isClose(mean.values, [0.75 * 1 + 0.25 * 3, 0.75 * 1 + 0.25 * 2]))
            #expect(isClose(variance.values, [0.75 + 0.25 * 14 / 3, 0.75 + 0.25 * 16 / 3]))
            let s = Float(3.5).squareRoot()
            #expect(isClose(y.values, [-2 / s, -1 / s, -1, -1, 0, 3 / s, 1, 1]))
        }

        @Test func batchNormEvaluationUsesRunningStatistics() {
            let x = Tensor(shape: [1, 2], values: [3, 3])
            let mean = Tensor(shape: [2], values: [1, 2]), variance = Tensor(shape: [2], values: [4, 1])
            let y = batchNorm(
                x, runningMean: mean, runningVariance: variance, weight: Tensor(shape: [2], values: [2, 1]),
                bias: Tensor(shape: [2], values: [0, 1]), training: false, epsilon: 0)
            #expect(isClose(y.values, [2, 2]))
        }
    }
}
