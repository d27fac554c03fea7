/// How a feature level of length 1 (a vector, e.g. a tabular modality or a pooled embedding) becomes a
/// (C, L) map for the fusion cells.
public enum VectorLevels: String, Sendable, Codable, CaseIterable {
    /// 1x1 convolution to C at length 1, then repeated along L (BM-NAS). Every position is the same,
    /// so attention over such a map reduces to a function of the vector alone.
    case `repeat`
    /// A learned linear map from the vector to C·L values laid out as (C, L): every position is its own
    /// projection, so primitives that mix positions (attention) see L different tokens.
    case project
}
