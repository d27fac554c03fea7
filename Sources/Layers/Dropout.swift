import Tensors

/// Inverted dropout: in training mode zeroes each element with probability `p` and scales the rest
/// by 1 / (1 - p); in evaluation mode it is the identity.
///
/// The layer owns its random generator, forked from the initialisation generator, so that a run is
/// reproducible from its seed and independent of how other components draw numbers. In a
/// data-parallel step (``BatchShard/current`` set) it draws the mask for the whole global batch and
/// keeps this rank's rows, so K ranks together apply one process's mask.
public final class Dropout: Module, Layer, @unchecked Sendable {
    /// The probability of zeroing an element.
    public let p: Float
    /// The generator that draws the masks.
    public var generator: SeededGenerator

    public init(_ p: Float, rng: inout SeededGenerator) {
        precondition(p >= 0 && p < 1, "Dropout: probability must be in [0, 1), got \(p)")
        self.p = p
        generator = rng.fork()
        super.init()
    }

    /// Restarts the mask stream (for deterministic replays such as gradient checks).
    public func reseed(_ seed: UInt64) { generator = SeededGenerator(seed: seed) }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard isTraining, p > 0 else { return x }
        if let shard = BatchShard.current { return x.dropout(p, shard: shard, rng: &generator) }
        return x.dropout(p, training: true, rng: &generator)
    }
}
