/// Whether and where the search's weight gradients are clipped, when chosen over the search
/// space's default (``SearchDefaults/gradientClip``).
public enum GradientClipping: Sendable, Codable, Equatable {
    /// No clipping (BM-NAS's code).
    case off
    /// The weights' global gradient norm clipped at this value (DARTS: 5).
    case maximumNorm(Float)

    /// The clip as ``SearchSettings/gradientClip`` takes it: infinity for none.
    public var settingsValue: Float {
        switch self {
        case .off: .infinity
        case .maximumNorm(let norm): norm
        }
    }
}
