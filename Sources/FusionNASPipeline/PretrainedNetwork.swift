import FusionNAS
import Tensors

/// A network pretrained without labels, kept so that it can be fine-tuned at several label
/// fractions (or in several study arms), each time from the same pretrained weights.
public final class PretrainedNetwork {
    public let genotype: Genotype
    /// The network; fine-tuning changes its weights and attaches a head, ``restore()`` undoes both.
    public let network: MultimodalNetwork
    /// Each tensor beside a copy of its pretrained values.
    private let snapshot: [(tensor: Tensor, saved: Tensor)]
    /// Whether pretraining left the encoders frozen (fine-tuning unfreezes them).
    private let encodersFrozen: Bool

    /// Keeps `network`'s current weights as the pretrained ones.
    public init(genotype: Genotype, network: MultimodalNetwork) {
        self.genotype = genotype
        self.network = network
        snapshot = network.namedTensors().map { ($0.tensor, $0.tensor.copy()) }
        encodersFrozen = network.encodersFrozen
    }

    /// Returns the network to the state pretraining left it in: its weights, no task head, and
    /// the encoders frozen as they were; the same tensors are reused, so nothing is reallocated.
    @discardableResult
    public func restore() -> MultimodalNetwork {
        for (tensor, saved) in snapshot { tensor.assign(saved) }
        network.head = nil
        network.freezeEncoders(encodersFrozen)
        return network
    }
}
