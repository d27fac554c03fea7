import Layers
import Tensors

/// REFERENCE.md's `mlp`: one supervised training step of an MLP 784-1024-1024-10 on a batch of 256,
/// softmax cross-entropy, Adam (lr 1e-3). One iteration = zero grads + forward + backward + step.
final class MLPWorkload: BenchWorkload {
    static let name = "mlp"
    /// 2 * 256 * (784*1024 + 1024*1024 + 1024*10) * 3 (forward, input gradient, weight gradient).
    static let nominalGFLOP = 2.45

    let layers: [Linear]
    let optimizer: Adam
    let x: Tensor
    let labels: [Int]
    private(set) var lastLoss: Float = 0

    init(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        // ReLU is fused into the first two layers' output pass: the same computation as Linear, ReLU.
        layers = [
            Linear(784, 1024, fusedReLU: true, rng: &rng),
            Linear(1024, 1024, fusedReLU: true, rng: &rng),
            Linear(1024, 10, rng: &rng),
        ]
        optimizer = Adam(parameters: layers.flatMap { $0.parameters() }, learningRate: 1e-3)
        x = Tensor.randn([256, 784], rng: &rng)
        labels = (0..<256).map { _ in Int(rng.next() % 10) }
    }

    func iterate() {
        for p in optimizer.parameters { p.grad = nil }
        let logits = layers.reduce(x) { h, layer in layer(h) }
        let loss = softmaxCrossEntropy(logits: logits, labels: labels)
        loss.backward()
        optimizer.step()
        lastLoss = loss.item
    }

    var checksum: String { parameterChecksum(optimizer.parameters) }
}
