import Tensors

/// One lazily allocated buffer per parameter (a momentum or moment estimate), stored as raw
/// tensors so that updates are pointer loops that allocate nothing after the first step.
struct ParameterSlots {
    /// The checkpoint key prefix, e.g. `exp_avg`.
    let name: String
    private(set) var buffers: [Tensor?]

    init(name: String, count: Int) {
        self.name = name
        buffers = Array(repeating: nil, count: count)
    }

    /// The buffer of parameter `index`, created filled with zeros on first use.
    mutating func buffer(_ index: Int, shape: [Int]) -> Tensor {
        if let existing = buffers[index] { return existing }
        let created = Tensor.zeros(shape)
        buffers[index] = created
        return created
    }

    /// Sets parameter `index`'s buffer (first momentum step initialises with the gradient).
    mutating func set(_ index: Int, _ tensor: Tensor) { buffers[index] = tensor }

    func export(into state: inout [String: Tensor]) {
        for (i, buffer) in buffers.enumerated() {
            if let buffer { state["\(name).\(i)"] = buffer.copy() }
        }
    }

    /// Replaces the buffers with copies of the entries in `state`; absent entries leave no buffer.
    mutating func load(from state: [String: Tensor], parameters: [Tensor]) throws {
        var loaded: [Tensor?] = Array(repeating: nil, count: parameters.count)
        for (i, parameter) in parameters.enumerated() {
            let key = "\(name).\(i)"
            guard let entry = state[key] else { continue }
            guard entry.shape == parameter.shape else {
                throw OptimizerStateError.shapeMismatch(key: key, expected: parameter.shape, found: entry.shape)
            }
            loaded[i] = entry.copy()
        }
        buffers = loaded
    }
}
