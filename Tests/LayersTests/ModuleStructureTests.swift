import Layers
import Testing
import Tensors

/// A model that keeps its encoder in evaluation mode, as a frozen pretrained encoder would.
private final class FrozenEncoderModel: Module, @unchecked Sendable {
    let encoder = BatchNorm1d(2)
    let head = BatchNorm1d(2)

    override func train(_ on: Bool = true) {
        super.train(on)
        encoder.train(false)
    }
}

private final class FrozenModelContainer: Module, @unchecked Sendable {
    let frozen: FrozenEncoderModel
    let rest: Sequential

    init(frozen: FrozenEncoderModel, rest: Sequential) {
        self.frozen = frozen
        self.rest = rest
        super.init()
    }
}

extension LayersSuite {
    @Suite struct ModuleStructureTests {
        @Test func mlpParameterNamesAreDottedLayerPaths() {
            var rng = SeededGenerator(seed: 20)
            let model = MLP(sizes: [4, 8, 3], rng: &rng)
            #expect(model.namedParameters().map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"])
            #expect(model.parameterCount == 4 * 8 + 8 + 8 * 3 + 3)
        }

        @Test func sequentialNamesIncludeBatchNormBuffersButTrainsOnlyParameters() {
            var rng = SeededGenerator(seed: 21)
            let model = Sequential(Linear(2, 3, rng: &rng), BatchNorm1d(3))
            #expect(model.namedTensors().map(\.name) == [
                "layers.0.weight", "layers.0.bias",
                "layers.1.weight", "layers.1.bias", "layers.1.runningMean", "layers.1.runningVariance",
            ])
            #expect(model.namedParameters().map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"])
        }

        @Test func trainAndEvalPropagateToNestedLayers() {
            var rng = SeededGenerator(seed: 22)
            let inner = Sequential(BatchNorm1d(3), Activation(.relu))
            let model = Sequential(Linear(2, 3, rng: &rng), inner)
            model.eval()
            #expect(model.modules().allSatisfy { !$0.isTraining })
            model.train()
            #expect(model.modules().allSatisfy { $0.isTraining })
            #expect(model.modules().count == 5)
        }

        @Test func trainOverridesRunWhenNestedInsideAnotherModel() {
            let frozen = FrozenEncoderModel()
            let outer = Sequential(Activation(.relu), BatchNorm1d(2))
            let model = FrozenModelContainer(frozen: frozen, rest: outer)
            model.train()
            #expect(!frozen.encoder.isTraining && frozen.head.isTraining && outer.layers[1].isTraining)
        }

        @Test func batchNormLayerUpdatesRunningStatisticsOnlyInTraining() {
            let layer = BatchNorm1d(1, momentum: 0.5)
            let x = Tensor(shape: [4, 1], values: [1, 2, 3, 6])
            _ = layer(x)
            // mean 3, unbiased variance 14/3; the estimates start at 0 and 1.
            #expect(isClose(layer.runningMean.values, [1.5]))
            #expect(isClose(layer.runningVariance.values, [0.5 + 0.5 * 14 / 3]))
            layer.eval()
            let y = layer(x)
            #expect(isClose(layer.runningMean.values, [1.5]))
            let std = (0.5 + 0.5 * Float(14) / 3 + 1e-5).squareRoot()
            #expect(isClose(y.values, [1, 2, 3, 6].map { ($0 - 1.5) / std }))
        }
    }
}
