import BMNAS
import FusionNAS
import Layers
import Tensors

/// REFERENCE.md's `bmnas`: one first-order DARTS iteration of the BM-NAS supernet with MM-IMDB
/// shapes, built through the project's own search space (`fusionnas`, whose supernet this workload has
/// always timed), encoders and head.
///
/// B 96, C 192, L 16, 2 cells of 1 step, primitives sum, scale_dot_attn, linear_glu, concat_fc (no
/// zero), dropout 0.1; six precomputed inputs (512, 16) x 4, (64, 16), (128, 16); head LayerNorm
/// over [2C, L] -> ReLU -> flatten -> Linear(2C*L -> 23); BCE with logits. One iteration = weight
/// step (Adam lr 1e-3, wd 1e-4) on the train batch, then architecture step (Adam lr 3e-4, betas
/// (0.5, 0.999), wd 1e-3) on the validation batch, each with gradients for its own group only, as
/// ``ArchitectureSearch`` does.
final class BMNASWorkload: BenchWorkload {
    static let name = "bmnas"
    static let nominalGFLOP = 13.8

    static let batch = 96, channels = 192, length = 16, labels = 23
    static let inputChannels = [512, 512, 512, 512, 64, 128]

    let network: MultimodalNetwork
    let weights: [Tensor]
    let architecture: [Tensor]
    let weightOptimizer: Adam
    let architectureOptimizer: Adam
    let train: (inputs: [[Tensor]], targets: Tensor)
    let validation: (inputs: [[Tensor]], targets: Tensor)
    private(set) var lastLoss: Float = 0

    init(seed: UInt64) throws {
        let registry = ComponentRegistry()
        try BuiltInEncoders.register(in: registry)
        try BMNASComponents.register(in: registry)
        var rng = SeededGenerator(seed: seed)
        let shapes = Self.inputChannels.map { FeatureLevelShape(channels: $0, length: Self.length) }
        // MM-IMDB: four image feature levels and two text levels, as two precomputed modalities.
        let image = try PrecomputedFeatures(EncoderConfiguration(
            modality: "image", sampleShape: [], levelShapes: Array(shapes[0..<4])))
        let text = try PrecomputedFeatures(EncoderConfiguration(
            modality: "text", sampleShape: [], levelShapes: Array(shapes[4...])))
        let configuration = SearchSpaceConfiguration(
            inputNames: ["image.0", "image.1", "image.2", "image.3", "text.0", "text.1"], inputShapes: shapes,
            channels: Self.channels, length: Self.length, cells: 2, steps: 1, dropout: 0.1,
            primitives: ["sum", "scale_dot_attn", "linear_glu", "concat_fc"])
        let supernet = try registry.searchSpace(named: FusionNASSearchSpace.name).makeSupernet(configuration, registry: registry, rng: &rng)
        network = MultimodalNetwork(encoders: [image, text], body: supernet)
        network.attachHead(outputs: Self.labels, rng: &rng)
        network.train(true)
        architecture = supernet.architectureParameters
        let archIDs = Set(architecture.map(ObjectIdentifier.init))
        weights = network.parameters().filter { !archIDs.contains(ObjectIdentifier($0)) }
        weightOptimizer = Adam(parameters: weights, learningRate: 1e-3, weightDecay: 1e-4)
        architectureOptimizer = Adam(
            parameters: architecture, learningRate: 3e-4, betas: (0.5, 0.999), weightDecay: 1e-3)
        func batch(_ rng: inout SeededGenerator) -> (inputs: [[Tensor]], targets: Tensor) {
            let levels = Self.inputChannels.map { Tensor.randn([Self.batch, $0, Self.length], rng: &rng) }
            let targets = Tensor(
                shape: [Self.batch, Self.labels],
                values: (0..<(Self.batch * Self.labels)).map { _ in rng.uniform() < 0.2 ? 1 : 0 })
            return ([Array(levels[0..<4]), Array(levels[4...])], targets)
        }
        train = batch(&rng)
        validation = batch(&rng)
    }

    /// Zero grads of `group`, forward, backward with gradients for `group` only, and `optimizer`'s step.
    private func step(
        _ data: (inputs: [[Tensor]], targets: Tensor), group: [Tensor], frozen: [Tensor], optimizer: Adam
    ) -> Float {
        for p in frozen { p.requiresGrad = false }
        for p in group {
            p.requiresGrad = true
            p.grad = nil
        }
        let loss = binaryCrossEntropyWithLogits(logits: network(data.inputs), targets: data.targets)
        loss.backward()
        optimizer.step()
        return loss.item
    }

    func iterate() {
        _ = step(train, group: weights, frozen: architecture, optimizer: weightOptimizer)
        lastLoss = step(validation, group: architecture, frozen: weights, optimizer: architectureOptimizer)
    }

    var checksum: String { parameterChecksum(weights + architecture) }
}
