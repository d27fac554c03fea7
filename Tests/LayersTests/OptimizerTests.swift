import Foundation
import Layers
import Testing
import Tensors

extension LayersSuite {
    @Suite struct OptimizerTests {
        /// A one-element parameter with the given value.
        private func scalarParameter(_ value: Float) -> Tensor { Tensor(shape: [1], values: [value]).requiringGrad() }

        @Test func sgdStepsMatchPyTorchFormulas() {
            // Plain with weight decay: p -= lr * (g + wd p) = 1 - 0.1 * (0.5 + 0.1) = 0.94.
            let plain = scalarParameter(1)
            let sgd = SGD(parameters: [plain], learningRate: 0.1, weightDecay: 0.1)
            plain.grad = Tensor(shape: [1], values: [0.5])
            sgd.step()
            #expect(isClose(plain.values, [0.94]))

            // Momentum: buf = 0.5 then 0.9 * 0.5 + 0.25 = 0.7; p = 1 - 0.05 - 0.07.
            let heavy = scalarParameter(1)
            let momentum = SGD(parameters: [heavy], learningRate: 0.1, momentum: 0.9)
            heavy.grad = Tensor(shape: [1], values: [0.5])
            momentum.step()
            heavy.grad = Tensor(shape: [1], values: [0.25])
            momentum.step()
            #expect(isClose(heavy.values, [0.88]))

            // Nesterov: buf = 0.5, update d + 0.9 buf = 0.95; then buf = 0.7, update 0.25 + 0.63 = 0.88.
            let ahead = scalarParameter(1)
            let nesterov = SGD(parameters: [ahead], learningRate: 0.1, momentum: 0.9, nesterov: true)
            ahead.grad = Tensor(shape: [1], values: [0.5])
            nesterov.step()
            #expect(isClose(ahead.values, [0.905]))
            ahead.grad = Tensor(shape: [1], values: [0.25])
            nesterov.step()
            #expect(isClose(ahead.values, [0.905 - 0.088]))
        }

        @Test func adamStepsMatchPyTorchFormulas() {
            let lr = 0.01, b1 = 0.8, b2 = 0.9, eps = 1e-8, wd = 0.1
            let gradients: [Double] = [0.5, -0.2, 0.3]
            var p = 2.0, m = 0.0, v = 0.0
            let parameter = scalarParameter(2)
            let adam = Adam(parameters: [parameter], learningRate: Float(lr), betas: (Float(b1), Float(b2)), epsilon: Float(eps), weightDecay: Float(wd))
            for (t, g) in gradients.enumerated() {
                let step = Double(t + 1)
                let gd = g + wd * p
                m = b1 * m + (1 - b1) * gd
                v = b2 * v + (1 - b2) * gd * gd
                p -= lr / (1 - pow(b1, step)) * m / (v.squareRoot() / (1 - pow(b2, step)).squareRoot() + eps)
                parameter.grad = Tensor(shape: [1], values: [Float(g)])
                adam.step()
                #expect(Swift.abs(Double(parameter.item) - p) < 1e-6, "step \(t + 1): \(parameter.item) vs \(p)")
            }
        }

        @Test func adamWDecaysDecoupledFromTheMoments() {
            let lr = 0.01, wd = 0.5
            let parameter = scalarParameter(2)
            let adamW = AdamW(parameters: [parameter], learningRate: Float(lr), weightDecay: Float(wd))
            parameter.grad = Tensor(shape: [1], values: [0.5])
            adamW.step()
            // First Adam step moves by lr * sign(g) (up to epsilon); the decay shrinks p first.
            let expected = 2 * (1 - lr * wd) - lr * 0.5 / (0.5 + 1e-8)
            #expect(Swift.abs(Double(parameter.item) - expected) < 1e-6)
        }

        @Test func optimizersSkipParametersWithoutGradients() {
            let withGrad = scalarParameter(1), withoutGrad = scalarParameter(1)
            let adam = Adam(parameters: [withGrad, withoutGrad], learningRate: 0.1)
            withGrad.grad = Tensor(shape: [1], values: [1])
            adam.step()
            #expect(withGrad.item != 1)
            #expect(withoutGrad.item == 1)
            #expect(adam.stateTensors()["step"]?.values == [1, 0])
            #expect(adam.stateTensors()["exp_avg.1"] == nil)
        }

        @Test func twoOptimizersOverDisjointGroupsOnlyTouchTheirOwn() {
            var rng = SeededGenerator(seed: 30)
            let model = MLP(sizes: [2, 3, 1], rng: &rng)
            let parameters = model.parameters()
            let weights = [parameters[0], parameters[2]], biases = [parameters[1], parameters[3]]
            let before = parameters.map(\.values)
            let weightOptimizer = SGD(parameters: weights, learningRate: 0.1)
            let biasOptimizer = Adam(parameters: biases, learningRate: 0.1)
            model(Tensor.randn([4, 2], rng: &rng)).square().mean().backward()
            weightOptimizer.step()
            #expect(weights.map(\.values) != [before[0], before[2]])
            #expect(biases.map(\.values) == [before[1], before[3]])
            weightOptimizer.zeroGrad()
            #expect(weights.allSatisfy { $0.grad == nil } && biases.allSatisfy { $0.grad != nil })
            biasOptimizer.step()
            #expect(biases.map(\.values) != [before[1], before[3]])
        }

        @Test func adamStateRoundTripsThroughExportAndLoad() throws {
            let a = scalarParameter(1), b = scalarParameter(1)
            let first = Adam(parameters: [a], learningRate: 0.1)
            let second = Adam(parameters: [b], learningRate: 0.1)
            for g: Float in [0.5, -1] {
                a.grad = Tensor(shape: [1], values: [g])
                first.step()
            }
            b.assign(a)
            try second.loadState(first.stateTensors())
            a.grad = Tensor(shape: [1], values: [0.3])
            b.grad = Tensor(shape: [1], values: [0.3])
            first.step()
            second.step()
            #expect(a.values == b.values)
            #expect(Set(first.stateTensors().keys) == ["exp_avg.0", "exp_avg_sq.0", "step"])
        }

        @Test func sgdStateRoundTripsAndRejectsMismatchedShapes() throws {
            let a = scalarParameter(1)
            let sgd = SGD(parameters: [a], learningRate: 0.1, momentum: 0.9)
            a.grad = Tensor(shape: [1], values: [1])
            sgd.step()
            let state = sgd.stateTensors()
            #expect(state["momentum_buffer.0"]?.values == [1])
            let other = SGD(parameters: [Tensor.zeros([2]).requiringGrad()], learningRate: 0.1, momentum: 0.9)
            #expect(throws: OptimizerStateError.shapeMismatch(key: "momentum_buffer.0", expected: [2], found: [1])) {
                try other.loadState(state)
            }
            #expect(throws: OptimizerStateError.missingEntry("step")) {
                try Adam(parameters: [a]).loadState([:])
            }
        }

        @Test func cosineScheduleEndpointsAndMidpoint() {
            let schedule = CosineAnnealing(baseLearningRate: 0.1, minimumLearningRate: 0.001, totalSteps: 100)
            #expect(schedule.learningRate(at: 0) == 0.1)
            #expect(Swift.abs(schedule.learningRate(at: 50) - 0.0505) < 1e-7)
            #expect(Swift.abs(schedule.learningRate(at: 100) - 0.001) < 1e-9)
            #expect(Swift.abs(schedule.learningRate(at: 500) - 0.001) < 1e-9)
            #expect(schedule.learningRate(at: 10) > schedule.learningRate(at: 20))
        }

        @Test func clipGradientNormScalesCopiesToTheGlobalNorm() {
            let a = Tensor.zeros([2]).requiringGrad(), b = Tensor.zeros([1]).requiringGrad(), c = Tensor.zeros([1]).requiringGrad()
            let gradA = Tensor(shape: [2], values: [3, 0])
            a.grad = gradA
            b.grad = Tensor(shape: [1], values: [4])
            let norm = clipGradientNorm([a, b, c], maxNorm: 1)
            #expect(norm == 5)
            #expect(isClose(a.grad!.values, [0.6, 0]) && isClose(b.grad!.values, [0.8]))
            #expect(gradA.values == [3, 0], "the original gradient tensor must not be modified")
            #expect(c.grad == nil)
            let unchanged = a.grad!
            #expect(Swift.abs(clipGradientNorm([a, b], maxNorm: 10) - 1) < 1e-5)
            #expect(a.grad === unchanged)
        }
    }
}
