import FusionNAS
import Foundation
import Layers
import Tensors

/// BM-NAS's ScaleDotAttn: query xᵀ, key y, value yᵀ; softmax(q k / sqrt(C)) v; dropout; LayerNorm over [C, L].
///
/// Asymmetric in its inputs: x attends to y.
public final class ScaleDotAttention: Module, FusionPrimitive, @unchecked Sendable {
    let norm: LayerNorm
    let dropout: Dropout
    let scale: Float

    public init(_ configuration: PrimitiveConfiguration, rng: inout SeededGenerator) {
        norm = LayerNorm(normalizedShape: [configuration.channels, configuration.length])
        dropout = Dropout(configuration.dropout, rng: &rng)
        scale = 1 / Float(configuration.channels).squareRoot()
        super.init()
    }

    public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
        let x = inputs[0], y = inputs[1]
        // scores (B, L, L) = xᵀ y, then attention over y's positions.
        let scores = x.batchedMatmul(y, transposeSelf: true) * scale
        let attention = scores.softmax(axis: -1)
        // (B, C, L) = y attentionᵀ, i.e. (attention yᵀ)ᵀ without materialising transposes.
        let attended = y.batchedMatmul(attention, transposeOther: true)
        return norm(dropout(attended))
    }
}
