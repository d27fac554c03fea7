import Foundation
import Layers
import Tensors

/// SimCLR's projection head: Linear -> ReLU -> Linear from the representation to the space where
/// the contrastive loss is computed.
///
/// It is used during search and self-supervised pretraining and dropped for fine-tuning: SimCLR
/// found the representation *before* the head transfers better, because the head learns to discard
/// what the augmentations vary. Defaults: hidden width 256, output 64. No BatchNorm, so that the
/// head behaves the same for any batch size.
public final class ProjectionHead: Module, Layer, @unchecked Sendable {
    public static let defaultHidden = 256
    public static let defaultOutput = 64

    /// inputs -> hidden, with the ReLU fused into its output pass.
    public let hidden: Linear
    /// hidden -> outputs.
    public let output: Linear

    public init(
        inputs: Int, hidden hiddenWidth: Int = ProjectionHead.defaultHidden,
        outputs: Int = ProjectionHead.defaultOutput, rng: inout SeededGenerator
    ) {
        precondition(
            inputs > 0 && hiddenWidth > 0 && outputs > 0,
            "ProjectionHead: widths must be positive, got \(inputs) -> \(hiddenWidth) -> \(outputs)")
        hidden = Linear(inputs, hiddenWidth, fusedReLU: true, rng: &rng)
        output = Linear(hiddenWidth, outputs, rng: &rng)
        super.init()
    }

    /// The projection width.
    public var outputs: Int { output.weight.shape[0] }

    /// (batch, inputs) -> (batch, outputs).
    public func callAsFunction(_ x: Tensor) -> Tensor { output(hidden(x)) }
}
