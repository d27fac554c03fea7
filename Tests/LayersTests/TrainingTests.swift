import Layers
import Testing
import Tensors

/// Full-batch training of `model` with Adam on a classification problem; returns the accuracy.
private func trainClassifier(
    _ model: MLP, inputs: Tensor, labels: [Int], steps: Int, learningRate: Float
) -> Double {
    let optimizer = Adam(parameters: model.parameters(), learningRate: learningRate)
    model.train()
    for _ in 0..<steps {
        optimizer.zeroGrad()
        softmaxCrossEntropy(logits: model(inputs), labels: labels).backward()
        optimizer.step()
    }
    model.eval()
    let logits = withoutGrad { model(inputs) }
    let classes = logits.shape[1]
    var correct = 0
    for (row, label) in labels.enumerated() {
        let scores = Array(logits.values[(row * classes)..<((row + 1) * classes)])
        if scores.firstIndex(of: scores.max()!) == label { correct += 1 }
    }
    return Double(correct) / Double(labels.count)
}

/// Two Gaussian blobs in 2-D, alternating labels, centred at (-2, -2) and (2, 2) with standard
/// deviation 0.7: the centres are about 8 deviations apart, so 99% accuracy is attainable.
private func gaussianBlobs(count: Int, rng: inout SeededGenerator) -> (Tensor, [Int]) {
    var values: [Float] = [], labels: [Int] = []
    for i in 0..<count {
        let label = i % 2
        let centre: Float = label == 0 ? -2 : 2
        values += [centre + rng.normal() * 0.7, centre + rng.normal() * 0.7]
        labels.append(label)
    }
    return (Tensor(shape: [count, 2], values: values), labels)
}

extension LayersSuite {
    @Suite struct TrainingTests {
        @Test func mlpLearnsXOR() {
            var rng = SeededGenerator(seed: 50)
            let model = MLP(sizes: [2, 8, 2], activation: .tanh, rng: &rng)
            let inputs = Tensor(shape: [4, 2], values: [0, 0, 0, 1, 1, 0, 1, 1])
            let accuracy = trainClassifier(model, inputs: inputs, labels: [0, 1, 1, 0], steps: 300, learningRate: 0.05)
            #expect(accuracy == 1)
        }

        @Test func mlpSeparatesTwoGaussians() {
            var rng = SeededGenerator(seed: 51)
            let (inputs, labels) = gaussianBlobs(count: 200, rng: &rng)
            let model = MLP(sizes: [2, 16, 2], activation: .relu, dropout: 0.1, rng: &rng)
            let accuracy = trainClassifier(model, inputs: inputs, labels: labels, steps: 150, learningRate: 0.02)
            #expect(accuracy >= 0.99)
        }

        @Test func sameSeedGivesBitIdenticalWeightsAfterTraining() {
            func trainedWeights() -> [[Float]] {
                var rng = SeededGenerator(seed: 52)
                let (inputs, labels) = gaussianBlobs(count: 64, rng: &rng)
                let model = MLP(sizes: [2, 8, 8, 2], activation: .gelu, dropout: 0.2, rng: &rng)
                let optimizer = SGD(parameters: model.parameters(), learningRate: 0.1, momentum: 0.9)
                for _ in 0..<20 {
                    optimizer.zeroGrad()
                    softmaxCrossEntropy(logits: model(inputs), labels: labels).backward()
                    clipGradientNorm(model.parameters(), maxNorm: 1)
                    optimizer.step()
                }
                return model.parameters().map(\.values)
            }
            #expect(trainedWeights() == trainedWeights())
        }
    }
}
