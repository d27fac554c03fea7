import Layers
import Tensors

/// The shape of one feature level a modality offers to the search space: (channels, length).
public struct FeatureLevelShape: Sendable, Codable, Equatable, CustomStringConvertible {
    public var channels: Int
    public var length: Int
    /// For a 2-D map flattened row-major into `length` (an image level), its number of rows; nil
    /// for a sequence or a vector. BM-NAS pools image maps in 2-D (`bmnas` space).
    public var rows: Int?
    public init(channels: Int, length: Int, rows: Int? = nil) {
        precondition(rows.map { $0 >= 1 && length % $0 == 0 } ?? true, "FeatureLevelShape: \(rows!) rows do not divide length \(length)")
        self.channels = channels
        self.length = length
        self.rows = rows
    }
    public var description: String { "(\(channels), \(length))" }
}

/// Maps one modality's input to one or more feature maps (batch, C_i, L_i) for the search space to choose from.
///
/// Vector, sequence, image and precomputed multi-level inputs each have a built-in encoder; a
/// plugin can register its own under a name.
///
/// ```swift
/// let encoder = try registry.encoder(named: "mlp").make(
///     EncoderConfiguration(modality: "fou", sampleShape: [76], levels: 2, width: 64), &rng)
/// let levels = encoder([batch])   // [(B, 64, 1), (B, 64, 1)]
/// ```
public protocol ModalityEncoder: Module {
    /// The shapes of the levels ``callAsFunction(_:)`` returns, in order.
    var levelShapes: [FeatureLevelShape] { get }
    /// Encodes a batch into its feature levels. `input` holds one tensor (batch, sampleShape...) for a
    /// raw modality, or one tensor per level for precomputed multi-level features.
    func callAsFunction(_ input: [Tensor]) -> [Tensor]
}

/// What a modality encoder is built from.
public struct EncoderConfiguration: Sendable, Codable, Equatable {
    /// The modality's name (for messages).
    public var modality: String
    /// Shape of one sample, without the batch axis (e.g. [76], [1, 15, 16], or [C, L]).
    public var sampleShape: [Int]
    /// Number of feature levels to expose.
    public var levels: Int
    /// Hidden width.
    public var width: Int
    /// Dropout inside the encoder.
    public var dropout: Float
    /// For precomputed multi-level features: the shape of each level (channels, length); empty otherwise.
    public var levelShapes: [FeatureLevelShape]

    public init(
        modality: String, sampleShape: [Int], levels: Int = 2, width: Int = 64, dropout: Float = 0,
        levelShapes: [FeatureLevelShape] = []
    ) {
        self.levelShapes = levelShapes
        self.modality = modality
        self.sampleShape = sampleShape
        self.levels = levels
        self.width = width
        self.dropout = dropout
    }
}
