import Tensors

/// Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay, with
/// `torch.optim.SGD`'s update rule (dampening 0):
///
/// ```
/// d = g + weightDecay * p
/// buf = d on the first step, else momentum * buf + d
/// p -= lr * (nesterov ? d + momentum * buf : buf)        // p -= lr * d without momentum
/// ```
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    private var momentumBuffers: ParameterSlots

    public init(
        parameters: [Tensor], learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
        weightDecay: Float = 0
    ) {
        precondition(
            !nesterov || momentum > 0, "SGD: Nesterov momentum needs a positive momentum, got \(momentum)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        momentumBuffers = ParameterSlots(name: "momentum_buffer", count: parameters.count)
    }

    public func step() {
        let lr = learningRate, mu = momentum, wd = weightDecay, nesterov = nesterov
        for (index, parameter) in parameters.enumerated() {
            guard let grad = parameter.grad else { continue }
            let p = parameter.data, g = grad.data
            if mu == 0 {
                Threading.parallelFor(parameter.count) { s, e in
                    for i in s..<e { p[i] -= lr * (g[i] + wd * p[i]) }
                }
                continue
            }
            let fresh = momentumBuffers.buffers[index] == nil
            let b = momentumBuffers.buffer(index, shape: parameter.shape).data
            Threading.parallelFor(parameter.count) { s, e in
                for i in s..<e {
                    let d = g[i] + wd * p[i]
                    let buf = fresh ? d : mu * b[i] + d
                    b[i] = buf
                    p[i] -= lr * (nesterov ? d + mu * buf : buf)
                }
            }
        }
    }

    /// Keys: `momentum_buffer.<index>` for parameters that have one.
    public func stateTensors() -> [String: Tensor] {
        var state: [String: Tensor] = [:]
        momentumBuffers.export(into: &state)
        return state
    }

    public func loadState(_ state: [String: Tensor]) throws {
        try momentumBuffers.load(from: state, parameters: parameters)
    }
}
