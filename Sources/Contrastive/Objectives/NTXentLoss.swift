import FusionNAS
import Foundation
import Layers
import Tensors

/// SimCLR's normalised temperature-scaled cross-entropy (NT-Xent, Chen et al. 2020).
///
/// For two views' projections `z1`, `z2` of shape (B, D), the 2B rows of `[z1; z2]` are
/// L2-normalised to `u_k`, and each view is classified against its partner among the 2B - 1 others:
///
/// ```
/// s_kj = u_k · u_j / τ            (self-similarity s_kk excluded)
/// ℓ_k  = -log( exp(s_k,p(k)) / Σ_{j ≠ k} exp(s_kj) )   with p(k) = k ± B, the other view of sample k
/// L    = (1 / 2B) Σ_k ℓ_k
/// ```
///
/// so every view has one positive and 2B - 2 negatives. Defaults: `temperature` τ = 0.2 (SimCLR
/// reports 0.1-0.5 working; the paper we implement does not publish its value).
///
/// It has no parameters. ``requiredViews`` is ``ObjectiveViews/augmentedPair``.
public final class NTXentLoss: Module, SSLObjective, @unchecked Sendable {
    /// The default temperature τ.
    public static let defaultTemperature = 0.2

    /// τ, fixed at construction.
    public let temperature: Float
    public let requiredViews = ObjectiveViews.augmentedPair

    /// - Throws: ``ComponentError`` when `temperature` is not finite or is at most 1e-3.
    public init(temperature: Double = NTXentLoss.defaultTemperature) throws {
        try ContrastiveValidation.checkTemperature(temperature, objective: "ntxent")
        self.temperature = Float(temperature)
        super.init()
    }

    /// Builds from registry options: `temperature` (default 0.2). Unknown options are an error.
    public convenience init(configuration: ObjectiveConfiguration) throws {
        try ContrastiveValidation.checkOptionNames(configuration.options, known: ["temperature"], component: "ntxent")
        try self.init(temperature: configuration.value("temperature", default: Self.defaultTemperature))
    }

    /// The loss of two views (B, D) each; B must be at least 2.
    ///
    /// Composed of recorded ops (normalise, one `sgemm`, a diagonal mask, fused softmax cross-entropy):
    /// the matrix product dominates the cost either way, so a dedicated kernel would gain nothing.
    public func loss(_ embeddings: ObjectiveEmbeddings) throws -> Tensor {
        let views = embeddings.views
        try ContrastiveValidation.checkViews(views, expectedCount: 2...2, objective: "ntxent")
        let batch = views[0].shape[0]
        let units = Tensor.concat([views[0], views[1]], axis: 0).l2Normalized(axis: 1)
        let similarities = units.matmul(units, transposeOther: true) * (1 / temperature)
        // -inf on the diagonal removes each view from its own softmax; its probability is exactly 0,
        // so no gradient flows through the masked entries.
        let logits = similarities + Self.selfMask(count: 2 * batch)
        let partners = (0..<(2 * batch)).map { ($0 + batch) % (2 * batch) }
        return softmaxCrossEntropy(logits: logits, labels: partners)
    }

    /// (n, n) zeros with -infinity on the diagonal.
    static func selfMask(count n: Int) -> Tensor {
        let mask = Tensor.zeros([n, n])
        for i in 0..<n { mask.data[i * n + i] = -.infinity }
        return mask
    }
}
