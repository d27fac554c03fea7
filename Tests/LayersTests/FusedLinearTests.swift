import TestSupport
import Testing
import Tensors

extension LayersSuite {
    @Suite struct FusedLinearTests {
        @Test func linearMatchesMatmulPlusBias() {
            var rng = SeededGenerator(seed: 5)
            let x = Tensor.randn([4, 3], rng: &rng), w = Tensor.randn([2, 3], rng: &rng), b = Tensor.randn([2], rng: &rng)
            let reference = x.matmul(w, transposeOther: true) + b
            #expect(isClose(linear(x, weight: w, bias: b).values, reference.values))
            #expect(isClose(linear(x, weight: w, bias: b, relu: true).values, reference.relu().values))
            #expect(isClose(linear(x, weight: w, bias: nil).values, x.matmul(w, transposeOther: true).values))
        }

        @Test func linearGradientsWithAndWithoutFusedReLU() {
            var rng = SeededGenerator(seed: 6)
            for relu in [false, true] {
                let x = Tensor.randn([4, 3], rng: &rng), w = Tensor.randn([5, 3], rng: &rng), b = Tensor.randn([5], rng: &rng)
                let result = GradientCheck.run(inputs: [x, w, b]) { t in linear(t[0], weight: t[1], bias: t[2], relu: relu) }
                #expect(result.passed, "relu \(relu): \(result)")
            }
        }

        /// Without a bias the output starts from zero (beta = 0) and no bias gradient is made; with
        /// the fused ReLU, inputs are chosen so that pre-activations stay 0.1 from the kink.
        @Test(arguments: [false, true])
        func linearGradientsWithoutBias(relu: Bool) throws {
            var rng = SeededGenerator(seed: 9)
            let w = Tensor.randn([5, 3], rng: &rng)
            let x = try #require(firstNormalTensor([4, 3], seed: 50) { x in
                clearOfKink(linear(x, weight: w, bias: nil).values, margin: 0.1)
            })
            let result = GradientCheck.run(inputs: [x, w]) { t in linear(t[0], weight: t[1], bias: nil, relu: relu) }
            #expect(result.passed, "relu \(relu): \(result)")
        }

        @Test func pointwiseConvMatchesPerPositionLinearMap() {
            var rng = SeededGenerator(seed: 7)
            // Lengths 1, 3 and 40 exercise the direct, transposed and per-sample paths.
            for length in [1, 3, 40] {
                let x = Tensor.randn([2, 3, length], rng: &rng), w = Tensor.randn([4, 3, 1], rng: &rng)
                let b = Tensor.randn([4], rng: &rng)
                let y = pointwiseConv1d(x, weight: w, bias: b)
                let reference = (x.permuted([0, 2, 1]).reshaped([-1, 3]).matmul(w.reshaped([4, 3]), transposeOther: true) + b)
                    .reshaped([2, length, 4]).permuted([0, 2, 1])
                #expect(y.shape == [2, 4, length])
                #expect(isClose(y.values, reference.values, tolerance: 1e-4), "length \(length)")
            }
        }

        @Test func pointwiseConvGradientsOnEveryPath() {
            var rng = SeededGenerator(seed: 8)
            for length in [1, 3, 40] {
                let x = Tensor.randn([2, 3, length], rng: &rng), w = Tensor.randn([4, 3], rng: &rng), b = Tensor.randn([4], rng: &rng)
                let result = GradientCheck.run(inputs: [x, w, b]) { t in pointwiseConv1d(t[0], weight: t[1], bias: t[2]) }
                #expect(result.passed, "length \(length): \(result)")
            }
        }
    }
}
