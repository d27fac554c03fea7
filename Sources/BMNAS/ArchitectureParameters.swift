import FusionNAS
import Layers
import Tensors

/// The `fusionnas` space's architecture parameters (one softmax per choice), kept in their own module so that
/// they are never mistaken for weights.
///
/// - alphas[k]: (2, inputs + k), the two input mixtures of cell k over input nodes and earlier cells.
/// - betas[k * steps + m]: (2, 2 + m), the two input mixtures of step m of cell k.
/// - gammas[k * steps + m]: (primitives), the primitive mixture of that step.
final class ArchitectureParameters: Module, @unchecked Sendable {
    let alphas: [Tensor]
    let betas: [Tensor]
    let gammas: [Tensor]

    /// BM-NAS initialises every architecture parameter as 1e-3 * N(0, 1).
    init(inputs: Int, cells: Int, steps: Int, primitives: Int, rng: inout SeededGenerator) {
        alphas = (0..<cells).map { k in Tensor.randn([2, inputs + k], std: 1e-3, rng: &rng).requiringGrad() }
        betas = (0..<cells * steps).map { i in Tensor.randn([2, 2 + i % steps], std: 1e-3, rng: &rng).requiringGrad() }
        gammas = (0..<cells * steps).map { _ in Tensor.randn([primitives], std: 1e-3, rng: &rng).requiringGrad() }
        super.init()
    }

    var all: [Tensor] { alphas + betas + gammas }

    /// The option whose softmax weight is zeroed (perturbation-based selection), or nil.
    var removedOption: ArchitectureOption?

    /// The softmax weights of one architecture parameter whose rows are the choices `names`, with the
    /// removed option's weight set to zero when it belongs to one of them.
    func mixtureWeights(_ parameter: Tensor, names: [String]) -> Tensor {
        softmaxWithout(removedOption, parameter, names: names)
    }
}

/// The softmax over the last axis of an architecture parameter whose rows are the choices `names`,
/// with `removed`'s weight set to zero when it is one of them (no renormalisation, as DARTS-PT).
func softmaxWithout(_ removed: ArchitectureOption?, _ parameter: Tensor, names: [String]) -> Tensor {
    let weights = parameter.softmax(axis: -1)
    guard let removed, let row = names.firstIndex(of: removed.choice) else { return weights }
    var mask = [Float](repeating: 1, count: weights.count)
    mask[row * weights.shape[weights.rank - 1] + removed.option] = 0
    return weights * Tensor(shape: weights.shape, values: mask)
}

extension Tensor {
    /// Row `i` of a matrix as a vector (recorded, so gradients flow back).
    func row(_ i: Int) -> Tensor { slice(axis: 0, start: i, end: i + 1).reshaped([shape[1]]) }
}
