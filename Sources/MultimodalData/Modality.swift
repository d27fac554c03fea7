import Tensors

/// How the features of one modality are laid out per sample.
public enum ModalityKind: String, Sendable, Codable, CaseIterable {
    /// A flat feature vector: sample shape `[F]`.
    case vector
    /// Channels over time: sample shape `[C, L]`.
    case sequence
    /// A picture: sample shape `[channels, height, width]`.
    case image
    /// Several feature maps from different depths of a backbone (BM-NAS's input), one tensor per level.
    case featureLevels = "feature-levels"
}

/// One view of every sample of a dataset.
///
/// Single-tensor kinds (vector, sequence, image) hold one tensor of shape `(N, sampleShape...)`;
/// ``ModalityKind/featureLevels`` holds one tensor per level, each `(N, levelShape...)`.
public struct Modality: Sendable {
    /// The name users select this modality by (for example `pix`, `text`).
    public var name: String
    /// The layout of a sample.
    public var kind: ModalityKind
    /// The features: one tensor for single-tensor kinds, one per level for feature levels.
    public var tensors: [Tensor]
    /// The registry name of the encoder to use for this modality (e.g. `precomputed` to feed a
    /// sequence to the search as it is), or nil for the default of its kind. Set from a manifest's
    /// `encoder` key, so that data can ask for an encoder without code.
    public var encoder: String? = nil

    /// A single-tensor modality; `features` has shape `(N, sampleShape...)`.
    public init(name: String, kind: ModalityKind, features: Tensor) {
        self.name = name
        self.kind = kind
        self.tensors = [features]
    }

    /// A feature-levels modality with one tensor `(N, levelShape...)` per level.
    public init(name: String, levels: [Tensor]) {
        self.name = name
        self.kind = .featureLevels
        self.tensors = levels
    }

    /// The features of a single-tensor modality (the first level of a feature-levels modality).
    public var features: Tensor { tensors[0] }

    /// The per-sample shape of ``features``.
    public var sampleShape: [Int] { Array(tensors[0].shape.dropFirst()) }

    /// The per-sample shape of every tensor (one entry per level for feature levels).
    public var sampleShapes: [[Int]] { tensors.map { Array($0.shape.dropFirst()) } }

    /// The number of samples (rows of every tensor).
    public var sampleCount: Int { tensors.first?.shape.first ?? 0 }
}
