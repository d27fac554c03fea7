import BMNAS
import FusionNAS
import Layers
import TestSupport
import Testing
import Tensors

@Suite struct PrimitiveTests {
    static let names = ["sum", "scale_dot_attn", "linear_glu", "concat_fc", "cat_conv_mish", "low_rank_tensor"]

    @Test(arguments: names) func gradientCheck(name: String) throws {
        var rng = SeededGenerator(seed: 5)
        let configuration = PrimitiveConfiguration(channels: 4, length: 3, dropout: 0)
        let primitive = try bmnasRegistry().primitive(named: name).make(configuration, &rng)
        let x = Tensor.randn([3, 4, 3], rng: &rng), y = Tensor.randn([3, 4, 3], rng: &rng)
        #expect(primitive([x, y]).shape == [3, 4, 3])
        // Every parameter. ReLUs after batch norm over a batch of three have pre-activations near a
        // kink, so the error a kink inside the step explains is allowed. The step is 1e-3: at 1e-4
        // the quotient's Float32 rounding was as large as many gradients, and at 1e-2 several kinks
        // fell inside one step.
        let result = GradientCheck.run(inputs: [x, y] + primitive.parameters(), epsilon: 1e-3, toleratesKinks: true) { _ in
            primitive([x, y])
        }
        #expect(result.passed, "\(name): \(result)")
    }

    @Test func zeroIsMarkedAndSumAdds() throws {
        var rng = SeededGenerator(seed: 0)
        let configuration = PrimitiveConfiguration(channels: 2, length: 1)
        let zero = try bmnasRegistry().primitive(named: "zero").make(configuration, &rng)
        let sum = try bmnasRegistry().primitive(named: "sum").make(configuration, &rng)
        #expect(zero.isZero && !sum.isZero)
        let x = Tensor(shape: [1, 2, 1], values: [1, 2]), y = Tensor(shape: [1, 2, 1], values: [10, 20])
        #expect(sum([x, y]).values == [11, 22])
        #expect(zero([x, y]).values == [0, 0])
    }

    @Test func attentionIsAsymmetric() throws {
        var rng = SeededGenerator(seed: 6)
        let attention = try bmnasRegistry().primitive(named: "scale_dot_attn").make(
            PrimitiveConfiguration(channels: 4, length: 3, dropout: 0), &rng)
        let x = Tensor.randn([2, 4, 3], rng: &rng), y = Tensor.randn([2, 4, 3], rng: &rng)
        let xy = attention([x, y]).values, yx = attention([y, x]).values
        #expect(zip(xy, yx).contains { Swift.abs($0 - $1) > 1e-3 })
    }
}
