import Tensors

/// Updates an explicit group of parameters from their gradients.
///
/// Each optimizer owns the group it was given at initialisation, so two optimizers can train
/// disjoint groups of one model (DARTS: network weights and architecture weights). Parameters whose
/// gradient is nil are skipped by ``step()``. Updates write the parameter storage in place.
public protocol Optimizer: AnyObject {
    /// The group this optimizer updates, in a fixed order (state keys refer to these indices).
    var parameters: [Tensor] { get }
    /// The step size; schedules set it before each ``step()``.
    var learningRate: Float { get set }
    /// Applies one update to every parameter of the group that has a gradient.
    func step()
    /// Sets the gradient of every parameter of the group to nil.
    func zeroGrad()
    /// The optimizer's state (moments, step counts) as tensors for a checkpoint, keyed by
    /// `<slot>.<parameter index>`.
    func stateTensors() -> [String: Tensor]
    /// Restores state exported by ``stateTensors()`` for the same parameter group.
    func loadState(_ state: [String: Tensor]) throws
}

extension Optimizer {
    public func zeroGrad() {
        for p in parameters { p.grad = nil }
    }
}
