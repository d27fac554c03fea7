import FusionNAS
import Foundation
import Layers
import Tensors

/// CLIP's symmetric InfoNCE (Radford et al. 2021) between every pair of views of one batch: each
/// modality's embedding against every other modality's and against the fused embedding.
///
/// Views are (B, D) each: one per modality, then the fused one last. Each is L2-normalised to `u`,
/// and for every pair (a, b) of the K views:
///
/// ```
/// S     = s · u_a u_bᵀ                      (B × B, s = exp(logitScale))
/// ℓ_ab  = ½ [ CE(S, diag) + CE(Sᵀ, diag) ]   (sample i matches sample i, both directions)
/// L     = mean over the K(K-1)/2 pairs of ℓ_ab
/// ```
///
/// `logitScale` is a parameter of this module, trained with the network's weights. As in open_clip
/// it starts at log(1 / 0.07) and is clamped to [0, log 100]: the stored value is clamped in place
/// at the start of every ``loss(_:)`` (open_clip clamps after each optimizer step, which is the
/// same thing seen from the next forward pass), so the scale never exceeds 100.
///
/// ``requiredViews`` is ``ObjectiveViews/modalities``.
public final class CLIPInfoNCELoss: Module, SSLObjective, @unchecked Sendable {
    /// open_clip's initial temperature, 0.07 (logit scale log(1 / 0.07) ≈ 2.659).
    public static let defaultTemperature = 0.07
    /// The largest logit scale, log(100): temperatures below 0.01 are not reachable.
    public static let maximumLogitScale = Foundation.log(100.0)

    /// The learnable log of the logit scale, shape []; trained unless built with `learnableScale: false`.
    public let logitScale: Tensor
    public let requiredViews = ObjectiveViews.modalities

    /// - Parameters:
    ///   - temperature: the initial temperature; the logit scale starts at log(1 / temperature).
    ///     Must be finite and in [0.01, 1] (the range the clamp allows; 1e-3 or below is also refused
    ///     as for every contrastive loss).
    ///   - learnableScale: whether the logit scale is trained (default true, as CLIP).
    /// - Throws: ``ComponentError`` for a temperature outside that range.
    public init(temperature: Double = CLIPInfoNCELoss.defaultTemperature, learnableScale: Bool = true) throws {
        try ContrastiveValidation.checkTemperature(temperature, objective: "clip")
        let scale = Foundation.log(1 / temperature)
        guard scale >= 0, scale <= Self.maximumLogitScale + 1e-9 else {
            throw ComponentError(
                .invalidOption(component: "clip"),
                "clip: temperature \(temperature) is outside [0.01, 1], the range the logit scale clamp [0, log 100] allows")
        }
        logitScale = Tensor(Float(scale)).requiringGrad(learnableScale)
        super.init()
    }

    /// Builds from registry options: `temperature` (initial, default 0.07) or `logit_scale` (its
    /// log-inverse, default log(1 / 0.07)), and `learnable_scale` (1 or 0, default 1).
    public convenience init(configuration: ObjectiveConfiguration) throws {
        let options = configuration.options
        try ContrastiveValidation.checkOptionNames(
            options, known: ["temperature", "logit_scale", "learnable_scale"], component: "clip")
        var temperature = configuration.value("temperature", default: Self.defaultTemperature)
        if let scale = options["logit_scale"] {
            guard options["temperature"] == nil else {
                throw ComponentError(.invalidOption(component: "clip"), "clip: give either temperature or logit_scale, not both")
            }
            guard scale.isFinite else { throw ComponentError(.invalidOption(component: "clip"), "clip: logit_scale must be finite, got \(scale)") }
            temperature = Foundation.exp(-scale)
        }
        let learnable = configuration.value("learnable_scale", default: 1)
        guard learnable == 0 || learnable == 1 else {
            throw ComponentError(.invalidOption(component: "clip"), "clip: learnable_scale must be 0 or 1, got \(learnable)")
        }
        try self.init(temperature: temperature, learnableScale: learnable == 1)
    }

    /// The current temperature, 1 / exp(logitScale).
    public var temperature: Float { Foundation.exp(-logitScale.item) }

    /// The loss of K ≥ 2 views (B, D) each; B must be at least 2.
    public func loss(_ embeddings: ObjectiveEmbeddings) throws -> Tensor {
        let views = embeddings.views
        try ContrastiveValidation.checkViews(views, expectedCount: 2...Int.max, objective: "clip")
        clampLogitScale()
        let batch = views[0].shape[0]
        let diagonal = Array(0..<batch)
        let units = views.map { $0.l2Normalized(axis: 1) }
        let scale = logitScale.exp()
        var pairLosses: [Tensor] = []
        for a in 0..<units.count {
            for b in (a + 1)..<units.count {
                let logits = units[a].matmul(units[b], transposeOther: true) * scale
                let forward = softmaxCrossEntropy(logits: logits, labels: diagonal)
                let backward = softmaxCrossEntropy(logits: logits.transposed(0, 1), labels: diagonal)
                pairLosses.append((forward + backward) * 0.5)
            }
        }
        let total = pairLosses.dropFirst().reduce(pairLosses[0], +)
        return total * (1 / Float(pairLosses.count))
    }

    /// open_clip's `logit_scale.clamp_(0, log(100))`, applied to the stored value (not recorded).
    func clampLogitScale() {
        let value = logitScale.data[0]
        logitScale.data[0] = Swift.min(Swift.max(value, 0), Float(Self.maximumLogitScale))
    }
}
