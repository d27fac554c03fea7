import FusionNAS
import Layers
import Tensors

/// The end of a BM-NAS step node (`NodeCell.forward` in models/search/darts/node_search.py and
/// `Found_NodeCell.forward` in node.py): the steps concatenated on the channels, and when there is
/// more than one, a 1x1 conv back to C, BatchNorm, ReLU and dropout; then the cell's first input
/// added and LayerNorm over [C, L]. Shared by the supernet's cells and the found network's.
final class ReferenceCellOutput: Module, @unchecked Sendable {
    let projection: Conv1d?
    let projectionNorm: BatchNorm1d?
    let dropout: Dropout?
    let norm: LayerNorm

    init(steps: Int, channels: Int, length: Int, dropout: Float, rng: inout SeededGenerator) {
        if steps > 1 {
            projection = Conv1d(inChannels: channels * steps, outChannels: channels, kernelSize: 1, rng: &rng)
            projectionNorm = BatchNorm1d(channels, fusedReLU: true)
            self.dropout = Dropout(dropout, rng: &rng)
        } else {
            projection = nil
            projectionNorm = nil
            self.dropout = nil
        }
        norm = LayerNorm(normalizedShape: [channels, length])
        super.init()
    }

    /// `steps`: the step outputs in order; `first`: the cell's first input.
    func callAsFunction(steps: [Tensor], first: Tensor) -> Tensor {
        var out = steps.count == 1 ? steps[0] : Tensor.concat(steps, axis: 1)
        if let projection, let projectionNorm, let dropout {
            out = dropout(projectionNorm(projection(out)))
        }
        return norm(out + first)
    }
}
