import Layers
import Testing
import Tensors

extension LayersSuite {
    @Suite struct ConvolutionLayerTests {
        @Test func pointwiseConv1dLayerGradientsAndFastPath() {
            var rng = SeededGenerator(seed: 40)
            let layer = Conv1d(inChannels: 3, outChannels: 4, kernelSize: 1, rng: &rng)
            #expect(layer.isPointwise)
            let result = checkLayerGradients(layer, input: Tensor.randn([2, 3, 5], rng: &rng))
            #expect(result.passed, "\(result)")
        }

        @Test func pointwiseConv1dMatchesTheGeneralConvolution() {
            var rng = SeededGenerator(seed: 41)
            let layer = Conv1d(inChannels: 3, outChannels: 4, rng: &rng)
            let x = Tensor.randn([2, 3, 6], rng: &rng)
            let general = conv1d(x, weight: layer.weight, bias: layer.bias)
            #expect(isClose(layer(x).values, general.values, tolerance: 1e-5))
        }

        @Test func conv1dLayerWithKernelThreeGradients() {
            var rng = SeededGenerator(seed: 42)
            let layer = Conv1d(inChannels: 2, outChannels: 3, kernelSize: 3, stride: 1, padding: 1, rng: &rng)
            #expect(!layer.isPointwise)
            let x = Tensor.randn([2, 2, 5], rng: &rng)
            #expect(layer(x).shape == [2, 3, 5])
            let result = checkLayerGradients(layer, input: x)
            #expect(result.passed, "\(result)")
        }

        @Test func conv2dLayerGradients() {
            var rng = SeededGenerator(seed: 43)
            let layer = Conv2d(inChannels: 2, outChannels: 3, kernelSize: 3, stride: 2, padding: 1, rng: &rng)
            let x = Tensor.randn([2, 2, 5, 5], rng: &rng)
            #expect(layer(x).shape == [2, 3, 3, 3])
            let result = checkLayerGradients(layer, input: x)
            #expect(result.passed, "\(result)")
        }

        @Test func dropoutLayerGradientsWithAReseededMask() {
            var rng = SeededGenerator(seed: 44)
            let layer = Dropout(0.5, rng: &rng)
            let result = checkLayerGradients(layer, input: Tensor.randn([4, 6], rng: &rng)) { layer.reseed(9) }
            #expect(result.passed, "\(result)")
        }

        @Test func dropoutZeroesAndRescalesInTrainingAndIsIdentityInEvaluation() {
            var rng = SeededGenerator(seed: 45)
            let layer = Dropout(0.25, rng: &rng)
            let x = Tensor.ones([1000])
            let y = layer(x).values
            #expect(y.allSatisfy { $0 == 0 || Swift.abs($0 - 4 / 3) < 1e-6 })
            let dropped = y.filter { $0 == 0 }.count
            #expect(dropped > 180 && dropped < 320)
            layer.eval()
            #expect(layer(x) === x)
        }

        @Test func mlpWithDropoutIsReproducibleFromItsSeedAndNamesStayDotted() {
            func run() -> [Float] {
                var rng = SeededGenerator(seed: 46)
                let model = MLP(sizes: [3, 8, 2], activation: .gelu, dropout: 0.5, rng: &rng)
                #expect(model.namedParameters().map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.3.weight", "layers.3.bias"])
                return model(Tensor.ones([4, 3])).values
            }
            #expect(run() == run())
        }

        @Test func mlpWithDropoutGradients() {
            var rng = SeededGenerator(seed: 47)
            let model = MLP(sizes: [3, 6, 2], activation: .tanh, dropout: 0.3, rng: &rng)
            let dropout = model.layers.compactMap { $0 as? Dropout }
            #expect(dropout.count == 1)
            let result = checkLayerGradients(model, input: Tensor.randn([4, 3], rng: &rng)) {
                for layer in dropout { layer.reseed(5) }
            }
            #expect(result.passed, "\(result)")
        }
    }
}
