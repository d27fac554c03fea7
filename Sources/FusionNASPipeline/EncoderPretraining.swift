import Contrastive
import FusionNAS
import Layers
import Tensors

/// Unimodal self-supervised pretraining of the modality encoders (no labels): for each modality,
/// two augmented views -> encoder -> every level averaged over its length and concatenated ->
/// projection head -> NT-Xent. Used when a modality has no pretrained backbone (the embedded data).
final class EncoderPretraining: ResumableStage {
    let encoders: [any ModalityEncoder]
    let heads: [ProjectionHead]
    let loss: NTXentLoss
    let augmentations: AugmentationPipeline
    let optimizer: Adam
    let schedule: CosineAnnealing
    let source: BatchSource
    let indices: [Int]
    let epochs: Int
    let batchSize: Int
    var rng: SeededGenerator
    private(set) var epoch = 0
    private(set) var losses: [Double] = []
    var onStep: ((Int, Int, Int, Double) -> Void)?
    /// Set for data-parallel pretraining (Docs/distributed.md): each rank encodes its share of every
    /// global batch's rows (both views drawn for the whole batch first, dropout masks too), the
    /// projections of every rank are gathered before NT-Xent, and the gradients averaged.
    var communicator: (any Communicator)? {
        didSet { BatchNorm1d.synchroniseBatchStatistics(in: encoders.map { $0 as Module } + heads, over: communicator) }
    }

    init(
        encoders: [any ModalityEncoder], source: BatchSource, indices: [Int], epochs: Int, batchSize: Int,
        learningRate: Float, temperature: Double, seed: UInt64, augmentations: AugmentationPipeline = .default
    ) throws {
        self.encoders = encoders
        self.source = source
        self.indices = indices
        self.epochs = epochs
        self.batchSize = min(batchSize, indices.count)
        var rng = SeededGenerator(seed: seed)
        heads = encoders.map { e in
            ProjectionHead(inputs: e.levelShapes.reduce(0) { $0 + $1.channels }, rng: &rng)
        }
        self.rng = rng
        loss = try NTXentLoss(temperature: temperature)
        self.augmentations = augmentations
        let parameters = encoders.flatMap { $0.parameters() } + heads.flatMap { $0.parameters() }
        optimizer = Adam(parameters: parameters, learningRate: learningRate, weightDecay: 1e-4)
        let steps = max(1, (indices.count + self.batchSize - 1) / self.batchSize)
        schedule = CosineAnnealing(baseLearningRate: learningRate, minimumLearningRate: 1e-6, totalSteps: epochs * steps)
    }

    var isFinished: Bool { epoch >= epochs }

    /// The pooled embedding of one modality: each level (batch, C, L) averaged over L, then concatenated.
    static func pooled(_ levels: [Tensor]) -> Tensor {
        let pooled = levels.map { $0.mean(axis: 2) }
        return pooled.count == 1 ? pooled[0] : Tensor.concat(pooled, axis: 1)
    }

    /// The projected embedding of one modality's view (levels of shape (B, ...)) for the global
    /// batch: computed here, or from this rank's rows and gathered over the ranks with their gradient.
    func projection(of view: [Tensor], encoder: any ModalityEncoder, head: ProjectionHead) -> Tensor {
        guard let communicator, let rows = view.first?.shape.first else { return head(Self.pooled(encoder(view))) }
        let shard = communicator.shard(ofBatch: rows)
        let own = shard.ownRows[0]
        let ownView = view.map { $0.slice(axis: 0, start: own.lowerBound, end: own.upperBound) }
        return shard.withCurrent { head(Self.pooled(encoder(ownView))) }.gatheredRows(over: communicator)
    }

    /// One epoch over every modality; returns the mean loss.
    func runEpoch() throws -> Double {
        for e in encoders { e.train() }
        reseedDropout(in: encoders, rng: &rng)
        let batches = miniBatches(indices, batchSize: batchSize, shuffle: true, rng: &rng)
        let stepsPerEpoch = batches.count
        var sum = 0.0
        for (i, batch) in batches.enumerated() {
            optimizer.learningRate = schedule.learningRate(at: epoch * stepsPerEpoch + i)
            optimizer.zeroGrad()
            let inputs = source.batch(batch, withLabels: false).inputs
            let view1 = augmentations(inputs, rng: &rng)
            let view2 = augmentations(inputs, rng: &rng)
            var total: Tensor?
            for (m, encoder) in encoders.enumerated() where !encoder.parameters().isEmpty {
                let z1 = projection(of: view1[m], encoder: encoder, head: heads[m])
                let z2 = projection(of: view2[m], encoder: encoder, head: heads[m])
                let l = try loss.loss(ObjectiveEmbeddings(views: [z1, z2]))
                total = total.map { $0 + l } ?? l
            }
            guard let total else { break }
            let value = Double(total.item)
            guard value.isFinite else {
                throw NonFiniteValueError.loss(
                    value, objective: "encoder ntxent", step: i + 1, epoch: epoch + 1, stage: "encoder pretraining", state: namedState())
            }
            total.backward()
            communicator?.averageGradients(of: optimizer.parameters)
            _ = clipGradientNorm(optimizer.parameters, maxNorm: 5)
            optimizer.step()
            sum += value
            onStep?(epoch + 1, i + 1, stepsPerEpoch, value)
        }
        try NonFiniteValueError.check(namedState(), epoch: epoch + 1, stage: "encoder pretraining")
        epoch += 1
        losses.append(sum / Double(max(batches.count, 1)))
        return losses[losses.count - 1]
    }
}

extension EncoderPretraining {
    /// The trained tensors by checkpoint name.
    func namedState() -> [(name: String, tensor: Tensor)] {
        var state: [(name: String, tensor: Tensor)] = []
        for (i, encoder) in encoders.enumerated() { state += encoder.namedTensors().map { (name: "encoder.\(i)." + $0.name, tensor: $0.tensor) } }
        for (i, head) in heads.enumerated() { state += head.namedTensors().map { (name: "head.\(i)." + $0.name, tensor: $0.tensor) } }
        return state
    }

    func checkpoint() throws -> StageCheckpoint {
        var checkpoint = StageCheckpoint(tensors: [], metadata: ["stage": "encoders"])
        for (i, encoder) in encoders.enumerated() { checkpoint.add(encoder, prefix: "encoder.\(i).") }
        for (i, head) in heads.enumerated() { checkpoint.add(head, prefix: "head.\(i).") }
        checkpoint.add(optimizer, prefix: "optimizer.")
        try checkpoint.store(rng, as: "rng")
        try checkpoint.store(losses, as: "losses")
        return checkpoint
    }

    func restore(_ checkpoint: StageCheckpoint) throws {
        guard checkpoint.metadata["stage"] == "encoders" else {
            throw ComponentError(.incompatibleCheckpoint, "checkpoint is of a '\(checkpoint.metadata["stage"] ?? "?")' stage, not encoder pretraining")
        }
        for (i, encoder) in encoders.enumerated() { try checkpoint.load(into: encoder, prefix: "encoder.\(i).") }
        for (i, head) in heads.enumerated() { try checkpoint.load(into: head, prefix: "head.\(i).") }
        try checkpoint.load(into: optimizer, prefix: "optimizer.")
        rng = try checkpoint.value(SeededGenerator.self, "rng")
        losses = try checkpoint.value([Double].self, "losses")
        epoch = losses.count
    }
}
