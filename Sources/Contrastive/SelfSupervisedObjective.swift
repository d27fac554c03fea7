import FusionNAS
import Layers
import Tensors

/// Trains or searches a ``MultimodalNetwork`` with a label-free ``SSLObjective`` — the built-in
/// NT-Xent and CLIP losses or any plugin's — by producing the views the objective asks for.
///
/// - ``ObjectiveViews/augmentedPair`` (SimCLR, Barlow Twins, ...): two augmented views of the
///   batch go through the network in one pass (stacked along the batch, so normalisation layers see
///   both views, as SimCLR's global BatchNorm), then through the projection head; the objective gets
///   `[z1, z2]`.
/// - ``ObjectiveViews/modalities`` (CLIP-style): one augmented view is encoded; each modality's
///   levels are mean-pooled over their length, concatenated and linearly projected
///   (``ModalityEmbedding``), and the fused representation goes through the projection head; the
///   objective gets one embedding per modality, then the fused one last.
///
/// It never reads labels: ``loss(network:batch:rng:)`` requires `batch.targets == nil`, so a
/// pipeline that leaks labels into self-supervised search fails at once.
public final class SelfSupervisedObjective: TrainingObjective {
    public let name: String
    public let readsLabels = false
    /// The loss the views are handed to.
    public let objective: any SSLObjective
    /// Representation -> projection space; dropped for fine-tuning.
    public let projectionHead: ProjectionHead
    /// Per modality, its embedding (only for ``ObjectiveViews/modalities``; empty otherwise).
    public let modalityEmbeddings: [ModalityEmbedding]
    /// How views are made.
    public let augmentations: AugmentationPipeline
    /// Set for a data-parallel step: the batch is the global one, the network sees this rank's rows
    /// and the loss the projections of every rank (see SelfSupervisedObjective+DataParallel.swift).
    public var communicator: (any Communicator)?

    /// - Parameters:
    ///   - objective: the loss; its ``SSLObjective/requiredViews`` decides which views are built.
    ///   - representationSize: the network's ``MultimodalNetwork/representationSize``.
    ///   - modalityLevelShapes: per modality, its encoder's level shapes (used for
    ///     ``ObjectiveViews/modalities``).
    ///   - augmentations: how each view is made.
    ///   - projectionHidden: the projection head's hidden width (default 256).
    ///   - projectionOutput: the projection dimension D (default 64).
    public init(
        objective: any SSLObjective, representationSize: Int, modalityLevelShapes: [[FeatureLevelShape]],
        augmentations: AugmentationPipeline, projectionHidden: Int = ProjectionHead.defaultHidden,
        projectionOutput: Int = ProjectionHead.defaultOutput, rng: inout SeededGenerator
    ) {
        precondition(representationSize > 0, "SelfSupervisedObjective: representation size must be positive, got \(representationSize)")
        self.objective = objective
        self.augmentations = augmentations
        name = "self-supervised (\(type(of: objective)))"
        projectionHead = ProjectionHead(
            inputs: representationSize, hidden: projectionHidden, outputs: projectionOutput, rng: &rng)
        switch objective.requiredViews {
        case .augmentedPair:
            modalityEmbeddings = []
        case .modalities:
            precondition(
                !modalityLevelShapes.isEmpty,
                "SelfSupervisedObjective: a modalities objective needs the level shapes of every modality")
            modalityEmbeddings = modalityLevelShapes.map {
                ModalityEmbedding(levelShapes: $0, outputs: projectionOutput, rng: &rng)
            }
        }
    }

    public var modules: [Module] { [projectionHead] + modalityEmbeddings + [objective] }

    /// The projection head's, the modality embeddings' and the objective's own parameters (a
    /// learnable logit scale), trained with the network's weights.
    public var parameters: [Tensor] { modules.flatMap { $0.parameters() } }

    public func loss(network: MultimodalNetwork, batch: Batch, rng: inout SeededGenerator) throws -> Tensor {
        precondition(batch.targets == nil, "SelfSupervisedObjective: the batch carries labels; self-supervised search and pretraining must not read them")
        switch objective.requiredViews {
        case .augmentedPair: return try augmentedPairLoss(network: network, inputs: batch.inputs, rng: &rng)
        case .modalities: return try modalitiesLoss(network: network, inputs: batch.inputs, rng: &rng)
        }
    }

    func augmentedPairLoss(network: MultimodalNetwork, inputs: [[Tensor]], rng: inout SeededGenerator) throws -> Tensor {
        let batchSize = inputs.first?.first?.shape.first ?? 0
        let stacked = augmentations.stackedViews(inputs, count: 2, rng: &rng)
        let (own, rows) = ownRows(ofStackedViews: stacked, batchSize: batchSize)
        let projections = forOwnRows(of: batchSize, stackedViews: 2) { projectionHead(network.representation(own)) }
        let views = projections.split(sizes: [rows, rows], axis: 0).map(gathered)
        return try objective.loss(ObjectiveEmbeddings(views: views))
    }

    func modalitiesLoss(network: MultimodalNetwork, inputs: [[Tensor]], rng: inout SeededGenerator) throws -> Tensor {
        let batchSize = inputs.first?.first?.shape.first ?? 0
        let view = ownRows(augmentations(inputs, rng: &rng))
        let embeddings = forOwnRows(of: batchSize) {
            let levels = network.encode(view)
            precondition(
                levels.count == modalityEmbeddings.count,
                "SelfSupervisedObjective: the network has \(levels.count) modalities, the objective was built for \(modalityEmbeddings.count)")
            let perModality = zip(modalityEmbeddings, levels).map { embed, modalityLevels in embed(modalityLevels) }
            return perModality + [projectionHead(network.represent(levels: levels))]
        }
        return try objective.loss(ObjectiveEmbeddings(views: embeddings.map(gathered)))
    }
}
