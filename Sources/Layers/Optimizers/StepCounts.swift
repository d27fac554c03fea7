import Tensors

/// Per-parameter update counts (as in PyTorch, a parameter without a gradient does not advance),
/// exported as one tensor `step` of shape (parameter count).
struct StepCounts {
    private(set) var counts: [Int]

    init(count: Int) { counts = Array(repeating: 0, count: count) }

    /// Advances parameter `index` and returns its new count.
    mutating func advance(_ index: Int) -> Int {
        counts[index] += 1
        return counts[index]
    }

    func export(into state: inout [String: Tensor]) {
        state["step"] = Tensor(shape: [counts.count], values: counts.map { Float($0) })
    }

    mutating func load(from state: [String: Tensor]) throws {
        guard let entry = state["step"] else { throw OptimizerStateError.missingEntry("step") }
        guard entry.shape == [counts.count] else {
            throw OptimizerStateError.shapeMismatch(key: "step", expected: [counts.count], found: entry.shape)
        }
        counts = entry.values.map { Int($0) }
    }
}
