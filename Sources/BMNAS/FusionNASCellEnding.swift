import FusionNAS
import Layers
import Tensors

/// How a `fusionnas` cell (the supernet's ``SearchCell`` and the found network's ``FoundCell``)
/// ends after its steps, so that both build and run the same ending: with ``CellOutput/perStep``
/// the last step's output, or with several steps their concatenation projected back to C by a 1x1
/// conv; with ``CellOutput/reference`` BM-NAS's ending (``ReferenceCellOutput``).
protocol FusionNASCellEnding: AnyObject {
    /// ``CellOutput/perStep`` with several steps: the 1x1 conv back to C.
    var projection: Conv1d? { get }
    /// ``CellOutput/reference``: BM-NAS's cell ending, the same module as the `bmnas` space's.
    var output: ReferenceCellOutput? { get }
}

extension FusionNASCellEnding {
    /// The ending's modules for `cellOutput` and `steps` steps.
    static func endingModules(
        _ cellOutput: CellOutput, steps: Int, channels: Int, length: Int, dropout: Float, rng: inout SeededGenerator
    ) -> (projection: Conv1d?, output: ReferenceCellOutput?) {
        switch cellOutput {
        case .perStep:
            let projection = steps > 1
                ? Conv1d(inChannels: channels * steps, outChannels: channels, kernelSize: 1, rng: &rng) : nil
            return (projection, nil)
        case .reference:
            return (nil, ReferenceCellOutput(steps: steps, channels: channels, length: length, dropout: dropout, rng: &rng))
        }
    }

    /// The cell's output from `local`: its two inputs, then its steps' outputs in order.
    func end(_ local: [Tensor]) -> Tensor {
        if let output { return output(steps: Array(local[2...]), first: local[0]) }
        guard let projection else { return local[local.count - 1] }
        return projection(Tensor.concat(Array(local[2...]), axis: 1))
    }
}
