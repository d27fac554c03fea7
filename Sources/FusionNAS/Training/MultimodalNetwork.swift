import Layers
import Tensors

/// The whole model: modality encoders -> fusion body (a supernet or a found network) -> representation,
/// plus an optional linear head to the task's outputs.
///
/// The representation is BM-NAS's head without its last layer: the fused map (batch, C_out, L)
/// -> LayerNorm over [C_out, L] -> ReLU -> flatten. Self-supervised objectives put their projection
/// head on it; fine-tuning puts a fresh linear classifier on it.
public final class MultimodalNetwork: Module, @unchecked Sendable {
    public let encoders: [any ModalityEncoder]
    public let body: any FusionBody
    let norm: LayerNorm
    /// The task head; nil during self-supervised search and pretraining.
    public var head: Linear?
    /// Whether the encoders are frozen (their parameters get no gradient and stay in evaluation mode).
    public private(set) var encodersFrozen = false
    /// Whether everything but the head is frozen (a linear probe).
    public private(set) var representationFrozen = false
    /// Declared after `encoders` so that reflection names these tensors by their encoder paths.
    private var frozenParameters: [Tensor] = []
    private var frozenRepresentation: [Tensor] = []

    public init(encoders: [any ModalityEncoder], body: any FusionBody) {
        self.encoders = encoders
        self.body = body
        norm = LayerNorm(normalizedShape: [body.outputChannels, body.outputLength])
        super.init()
    }

    /// Width of the representation.
    public var representationSize: Int { body.outputChannels * body.outputLength }

    /// Freezes or unfreezes the encoders: frozen parameters get no gradient and the encoders stay in
    /// evaluation mode.
    public func freezeEncoders(_ frozen: Bool = true) {
        guard frozen != encodersFrozen else { return }
        if frozen {
            frozenParameters = encoders.flatMap { $0.parameters() }
            for p in frozenParameters { p.requiresGrad = false }
        } else {
            for p in frozenParameters { p.requiresGrad = true }
            frozenParameters = []
        }
        encodersFrozen = frozen
        train(isTraining)
    }

    /// Freezes or unfreezes everything below the head, for a linear probe: no gradient, and batch
    /// norms keep the statistics they learnt (evaluation mode), so the head sees the same features
    /// in training and at test time.
    public func freezeRepresentation(_ frozen: Bool = true) {
        guard frozen != representationFrozen else { return }
        if frozen {
            let head = Set((self.head?.parameters() ?? []).map(ObjectIdentifier.init))
            frozenRepresentation = parameters().filter { !head.contains(ObjectIdentifier($0)) }
            for p in frozenRepresentation { p.requiresGrad = false }
        } else {
            for p in frozenRepresentation { p.requiresGrad = true }
            frozenRepresentation = []
        }
        representationFrozen = frozen
        train(isTraining)
    }

    /// Per modality, its feature levels.
    public func encode(_ inputs: [[Tensor]]) -> [[Tensor]] {
        precondition(
            inputs.count == encoders.count,
            "MultimodalNetwork: \(inputs.count) modalities given, the network has \(encoders.count) encoders")
        return zip(encoders, inputs).map { encoder, x in
            if encodersFrozen || representationFrozen { return withoutGrad { encoder(x) } }
            return encoder(x)
        }
    }

    /// The fused representation (batch, representationSize) of already-encoded levels.
    public func represent(levels: [[Tensor]]) -> Tensor {
        let fused = body(levels.flatMap { $0 })
        return norm(fused).relu().flattened()
    }

    /// The fused representation (batch, representationSize).
    public func representation(_ inputs: [[Tensor]]) -> Tensor { represent(levels: encode(inputs)) }

    /// The task outputs (logits) of a batch; requires a head.
    public func callAsFunction(_ inputs: [[Tensor]]) -> Tensor {
        guard let head else { preconditionFailure("MultimodalNetwork: no task head; call attachHead(outputs:rng:) first") }
        if representationFrozen { return head(withoutGrad { representation(inputs) }) }
        return head(representation(inputs))
    }

    /// Puts a fresh linear head with `outputs` outputs on the representation.
    public func attachHead(outputs: Int, rng: inout SeededGenerator) {
        head = Linear(representationSize, outputs, rng: &rng)
    }

    public override func train(_ on: Bool = true) {
        super.train(on)
        if encodersFrozen || representationFrozen { for e in encoders { e.train(false) } }
        if representationFrozen {
            body.train(false)
            norm.train(false)
        }
    }
}
