import Layers
import Testing
import Tensors

extension LayersSuite {
    /// `batchNorm(relu: true)` must be exactly BatchNorm followed by ReLU, forward and backward.
    @Suite struct FusedBatchNormReLUTests {
        @Test func matchesSeparateReLUBitForBit() {
            var rng = SeededGenerator(seed: 11)
            let x0 = Tensor.randn([6, 5, 16], rng: &rng)
            let w0 = Tensor.randn([5], rng: &rng), b0 = Tensor.randn([5], rng: &rng)
            let upstream = Tensor.randn([6, 5, 16], rng: &rng)
            func run(fused: Bool) -> (y: [Float], gx: [Float], gw: [Float], gb: [Float]) {
                let x = x0.copy().requiringGrad(), w = w0.copy().requiringGrad(), b = b0.copy().requiringGrad()
                let mean = Tensor.zeros([5]), variance = Tensor.ones([5])
                let y = fused
                    ? batchNorm(x, runningMean: mean, runningVariance: variance, weight: w, bias: b, training: true, relu: true)
                    : batchNorm(x, runningMean: mean, runningVariance: variance, weight: w, bias: b, training: true).relu()
                let values = y.values
                (y * upstream).mean().backward()
                return (values, x.grad!.values, w.grad!.values, b.grad!.values)
            }
            let fused = run(fused: true), separate = run(fused: false)
            #expect(fused.y == separate.y)
            #expect(fused.gx == separate.gx)
            #expect(fused.gw == separate.gw)
            #expect(fused.gb == separate.gb)
            #expect(fused.y.contains(0), "the check needs clipped outputs")
        }

        @Test func layerOptionFusesReLU() {
            var rng = SeededGenerator(seed: 12)
            let x = Tensor.randn([4, 3, 8], rng: &rng)
            let fused = BatchNorm1d(3, fusedReLU: true)(x).values
            let separate = BatchNorm1d(3)(x).relu().values
            #expect(fused == separate)
        }
    }
}
