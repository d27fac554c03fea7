import FusionNAS
import Layers
import Tensors

/// One step node of a supernet cell: mixes two inputs (beta) and the primitives (gamma), then,
/// with ``CellOutput/perStep``, residual + LayerNorm over [C, L]; with ``CellOutput/reference`` the
/// mixture alone, which the cell's ``ReferenceCellOutput`` closes as BM-NAS's `NodeCell` does.
final class SearchStep: Module, @unchecked Sendable {
    let primitives: [any FusionPrimitive]
    /// Nil with ``CellOutput/reference``, where the cell normalises once.
    let norm: LayerNorm?

    init(primitives: [any FusionPrimitive], channels: Int, length: Int, cellOutput: CellOutput = .perStep) {
        self.primitives = primitives
        norm = cellOutput == .perStep ? LayerNorm(normalizedShape: [channels, length]) : nil
        super.init()
    }

    /// `inputWeights`: (2, candidates), the softmax weights of the two input mixtures;
    /// `primitiveWeights`: (primitives), those of the primitive mixture.
    func callAsFunction(candidates: [Tensor], inputWeights: Tensor, primitiveWeights: Tensor) -> Tensor {
        let x = Tensor.weightedSum(weights: inputWeights.row(0), terms: candidates)
        let y = Tensor.weightedSum(weights: inputWeights.row(1), terms: candidates)
        let outputs: [Tensor?] = primitives.map { $0.isZero ? nil : $0([x, y]) }
        let z = Tensor.weightedSum(weights: primitiveWeights, terms: outputs)
        guard let norm else { return z }
        return norm(z + x)
    }
}

/// A supernet cell: two separately mixed inputs (alpha), then its steps.
///
/// Unlike BM-NAS's reference code, the two inputs are different mixtures, so asymmetric primitives
/// (attention) are searched on the inputs they will see in the found network.
final class SearchCell: Module, FusionNASCellEnding, @unchecked Sendable {
    let steps: [SearchStep]
    /// ``CellOutput/perStep``: projects the concatenated steps back to C when there is more than one step.
    let projection: Conv1d?
    /// ``CellOutput/reference``: BM-NAS's cell ending, the same module as the `bmnas` space's.
    let output: ReferenceCellOutput?

    init(steps: [SearchStep], channels: Int, length: Int, cellOutput: CellOutput = .perStep, dropout: Float = 0, rng: inout SeededGenerator) {
        self.steps = steps
        (projection, output) = Self.endingModules(
            cellOutput, steps: steps.count, channels: channels, length: length, dropout: dropout, rng: &rng)
        super.init()
    }

    /// `inputWeights`: (2, candidates) softmax weights of the cell's input mixtures; `stepWeights`: each
    /// step's input and primitive weights.
    func callAsFunction(
        candidates: [Tensor], inputWeights: Tensor, stepWeights: [(inputs: Tensor, primitives: Tensor)]
    ) -> Tensor {
        var local = [
            Tensor.weightedSum(weights: inputWeights.row(0), terms: candidates),
            Tensor.weightedSum(weights: inputWeights.row(1), terms: candidates),
        ]
        for (step, weights) in zip(steps, stepWeights) {
            local.append(step(candidates: local, inputWeights: weights.inputs, primitiveWeights: weights.primitives))
        }
        return end(local)
    }
}
