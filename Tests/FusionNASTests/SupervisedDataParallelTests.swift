import BMNAS
import FusionNAS
import Layers
import Tensors
import Testing

/// The supervised objective split over ranks played by threads (``ThreadGroup``): each rank runs a
/// network with dropout and synchronised BatchNorm on its share of the global batch, the logits are
/// gathered, and the loss and the rank-averaged gradients equal one process's on the whole batch,
/// dropout masks included. The same over real MPI ranks: CommandTests/MPISupervisedStagesTests.
@Suite struct SupervisedDataParallelTests {
    /// 7 rows: shards of 4 and 3 at two ranks, 3, 2 and 2 at three, so a mean of shard means
    /// would differ from the global mean.
    @Test(arguments: [2, 3]) func crossEntropyOnShardsEqualsOneProcessWithDropout(ranks: Int) throws {
        try compare(ranks: ranks, multiLabel: false)
    }

    /// Multi-label tasks (MM-IMDB): binary cross-entropy, a mean over rows and labels.
    @Test func binaryCrossEntropyOnShardsEqualsOneProcess() throws {
        try compare(ranks: 2, multiLabel: true)
    }

    func compare(ranks: Int, multiLabel: Bool) throws {
        let single = try step(over: nil, multiLabel: multiLabel)
        let distributed = ThreadGroup(size: ranks).run { member in try! step(over: member, multiLabel: multiLabel) }
        // Relative to the largest gradient: a bias before a BatchNorm has a gradient of zero in
        // exact arithmetic, and rounding noise of 1e-8 around it.
        let scale = single.dropFirst().joined().map { Swift.abs($0) }.max() ?? 1
        for figures in distributed {
            #expect(Swift.abs(figures[0][0] - single[0][0]) <= 1e-6 * Swift.abs(single[0][0]), "loss \(figures[0][0]) against \(single[0][0])")
            for (got, expected) in zip(figures.dropFirst(), single.dropFirst()) {
                let difference = zip(got, expected).map { Swift.abs($0 - $1) }.max() ?? 0
                #expect(got.count == expected.count && difference <= 1e-5 * scale, "gradient differs by \(difference) (largest gradient \(scale))")
            }
        }
    }

    /// The check above can fail: with each rank drawing its masks over its own rows (what a shard
    /// without ``BatchShard/current`` does), the loss is not one process's.
    @Test func masksDrawnPerShardWouldDiffer() throws {
        let single = try step(over: nil)
        let perShard = ThreadGroup(size: 2).run { member in try! step(over: member, globalMasks: false) }
        #expect(Swift.abs(perShard[0][0][0] - single[0][0]) > 1e-4 * Swift.abs(single[0][0]))
    }

    /// [loss], then every parameter's gradient averaged over the ranks (one process: its own).
    func step(over communicator: (any Communicator)?, globalMasks: Bool = true, multiLabel: Bool = false) throws -> [[Float]] {
        var rng = SeededGenerator(seed: 11)
        let network = try Self.network(rng: &rng)
        let batch = 7
        let inputs = [[Tensor.randn([batch, 6], rng: &rng)], [Tensor.randn([batch, 5], rng: &rng)]]
        let labels = (0..<batch).map { $0 % 3 }
        let targets: BatchTargets = multiLabel
            ? .multiLabel(Tensor(shape: [batch, 3], values: (0..<batch * 3).map { Float(($0 * 7) % 3 == 0 ? 1 : 0) }))
            : .classes(labels)
        let objective = SupervisedObjective(task: multiLabel ? .multiLabel(labels: 3) : .multiClass(classes: 3))
        objective.communicator = communicator
        BatchNorm1d.synchroniseBatchStatistics(in: [network], over: communicator)
        network.train()
        let loss: Tensor
        if globalMasks || communicator == nil {
            loss = try objective.loss(network: network, batch: Batch(inputs: inputs, targets: targets), rng: &rng)
        } else {
            // Each rank's own rows with masks drawn over them alone, as before BatchShard.
            let own = communicator!.share(of: batch)
            let logits = network(inputs.map { $0.map { $0.slice(axis: 0, start: own.lowerBound, end: own.upperBound) } })
            loss = softmaxCrossEntropy(logits: logits.gatheredRows(over: communicator!), labels: labels)
        }
        loss.backward()
        let parameters = network.parameters()
        communicator?.averageGradients(of: parameters)
        return [[loss.item]] + parameters.map { $0.grad?.values ?? [] }
    }

    /// Two vector modalities with dropout 0.3 in the encoders and the supernet, and a 3-class head.
    static func network(rng: inout SeededGenerator) throws -> MultimodalNetwork {
        let registry = ComponentRegistry()
        try BMNASComponents.register(in: registry)
        let encoders = try [6, 5].enumerated().map { index, features in
            try VectorEncoder(
                EncoderConfiguration(modality: "m\(index)", sampleShape: [features], levels: 2, width: 8, dropout: 0.3), rng: &rng)
        }
        let configuration = SearchSpaceConfiguration(
            inputNames: ["m0.0", "m0.1", "m1.0", "m1.1"], inputShapes: encoders.flatMap(\.levelShapes), channels: 4, length: 2,
            cells: 1, steps: 1, dropout: 0.3, primitives: BMNASComponents.defaultPrimitives)
        let network = MultimodalNetwork(
            encoders: encoders, body: try FusionNASSearchSpace().makeSupernet(configuration, registry: registry, rng: &rng))
        network.attachHead(outputs: 3, rng: &rng)
        return network
    }
}
