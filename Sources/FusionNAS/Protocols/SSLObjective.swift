import Layers
import Tensors

/// Which embeddings a self-supervised objective compares.
public enum ObjectiveViews: String, Sendable, Codable {
    /// Two augmented views of every sample through the same network (SimCLR, Barlow Twins, VICReg).
    case augmentedPair
    /// Each modality's pooled embedding and the fused embedding of one view (CLIP-style).
    case modalities
}

/// The embeddings handed to a self-supervised objective: each (batch, D), L2-normalised or not as the
/// objective decides.
public struct ObjectiveEmbeddings {
    /// For ``ObjectiveViews/augmentedPair``: the projections of view 1 and view 2.
    /// For ``ObjectiveViews/modalities``: one projection per modality, then the fused projection last.
    public var views: [Tensor]
    public init(views: [Tensor]) { self.views = views }
}

/// A loss over two or more views or embeddings of a batch, needing no labels.
///
/// It may own parameters (a learnable temperature): they are trained together with the network's
/// weights. Arguments are validated at construction (a temperature near zero is an error).
///
/// ```swift
/// final class CosineAgreement: Module, SSLObjective {
///     let requiredViews = ObjectiveViews.augmentedPair
///     func loss(_ e: ObjectiveEmbeddings) throws -> Tensor {
///         -(e.views[0].l2Normalized() * e.views[1].l2Normalized()).sum(axis: 1).mean()
///     }
/// }
/// ```
public protocol SSLObjective: Module {
    /// What the pipeline must produce for ``loss(_:)``.
    var requiredViews: ObjectiveViews { get }
    /// The loss; throws a ``ComponentError`` for an unusable batch (e.g. a batch of one for a contrastive loss).
    func loss(_ embeddings: ObjectiveEmbeddings) throws -> Tensor
}

/// What an SSL objective is built from: its options by name (e.g. `temperature`).
public struct ObjectiveConfiguration: Sendable, Codable, Equatable {
    public var options: [String: Double]
    public init(options: [String: Double] = [:]) { self.options = options }

    /// The option `name`, or `fallback` when absent.
    public func value(_ name: String, default fallback: Double) -> Double { options[name] ?? fallback }
}
