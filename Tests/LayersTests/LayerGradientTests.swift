import Layers
import Testing
import Tensors

extension LayersSuite {
    @Suite struct LayerGradientTests {
        @Test func linearLayerGradients() {
            var rng = SeededGenerator(seed: 10)
            for fused in [false, true] {
                let layer = Linear(3, 4, fusedReLU: fused, rng: &rng)
                let result = checkLayerGradients(layer, input: Tensor.randn([5, 3], rng: &rng))
                #expect(result.passed, "fusedReLU \(fused): \(result)")
            }
        }

        @Test func layerNormLayerGradients() {
            var rng = SeededGenerator(seed: 11)
            let layer = LayerNorm(normalizedShape: [2, 3])
            // Non-trivial affine parameters so that their gradients matter.
            layer.weight.assign(Tensor.randn([2, 3], rng: &rng))
            layer.bias.assign(Tensor.randn([2, 3], rng: &rng))
            let result = checkLayerGradients(layer, input: Tensor.randn([4, 2, 3], rng: &rng))
            #expect(result.passed, "\(result)")
        }

        @Test func batchNormLayerGradientsInTrainingAndEvaluation() {
            var rng = SeededGenerator(seed: 12)
            let layer = BatchNorm1d(3)
            layer.weight.assign(Tensor.randn([3], rng: &rng))
            layer.bias.assign(Tensor.randn([3], rng: &rng))
            let x = Tensor.randn([4, 3, 2], rng: &rng)
            let training = checkLayerGradients(layer, input: x)
            #expect(training.passed, "training: \(training)")
            layer.eval()
            let evaluation = checkLayerGradients(layer, input: x)
            #expect(evaluation.passed, "evaluation: \(evaluation)")
        }

        @Test func activationLayerGradients() {
            var rng = SeededGenerator(seed: 13)
            let functions: [ActivationFunction] = [.tanh, .sigmoid, .gelu, .mish, .softplus, .leakyRelu(slope: 0.1), .identity]
            for function in functions {
                let result = checkLayerGradients(Activation(function), input: Tensor.randn([3, 4], rng: &rng))
                #expect(result.passed, "\(function): \(result)")
            }
        }

        @Test func sequentialGradients() {
            var rng = SeededGenerator(seed: 14)
            let model = Sequential(
                Linear(3, 6, rng: &rng), LayerNorm(normalizedShape: [6]), Activation(.tanh), Linear(6, 2, rng: &rng))
            let result = checkLayerGradients(model, input: Tensor.randn([4, 3], rng: &rng))
            #expect(result.passed, "\(result)")
        }

        @Test func mlpGradients() {
            var rng = SeededGenerator(seed: 15)
            let model = MLP(sizes: [3, 5, 4, 2], activation: .tanh, rng: &rng)
            let result = checkLayerGradients(model, input: Tensor.randn([4, 3], rng: &rng))
            #expect(result.passed, "\(result)")
        }
    }
}
