import Foundation
import Tensors

/// β-DARTS's Beta-Decay regulariser (Ye et al., CVPR 2022) over softmax-mixed architecture
/// parameters: R(α) = mean over choices of logsumexp(α_choice), each row of the last axis being one
/// choice (as in every DARTS-style space).
///
/// Its gradient is each choice's softmax divided by the number of choices, so the strongest option is
/// pulled down most: the weights of a choice cannot run away onto the option that helped first,
/// which is how DARTS collapses onto parameter-free operations.
public enum BetaDecay {
    /// R(α) for the given architecture parameters.
    public static func value(_ architecture: [Tensor]) -> Double {
        var sum = 0.0
        var choices = 0
        forEachChoice(architecture) { row in
            let top = row.max() ?? 0
            sum += Double(top) + log(row.reduce(0.0) { $0 + exp(Double($1 - top)) })
            choices += 1
        }
        return sum / Double(max(choices, 1))
    }

    /// Adds `weight` · ∇R(α) to each parameter's gradient (creating it when absent).
    public static func addGradient(to architecture: [Tensor], weight: Float) {
        let choices = architecture.reduce(0) { $0 + ($1.count == 0 ? 0 : $1.count / $1.shape[$1.rank - 1]) }
        guard weight != 0, choices > 0 else { return }
        let scale = weight / Float(choices)
        for a in architecture where a.count > 0 {
            let grad = a.grad ?? Tensor.zeros(a.shape)
            let n = a.shape[a.rank - 1]
            for start in stride(from: 0, to: a.count, by: n) {
                var top = -Float.infinity
                for i in start..<(start + n) { top = max(top, a.data[i]) }
                var total: Float = 0
                for i in start..<(start + n) { total += exp(a.data[i] - top) }
                for i in start..<(start + n) { grad.data[i] += scale * exp(a.data[i] - top) / total }
            }
            a.grad = grad
        }
    }

    static func forEachChoice(_ architecture: [Tensor], _ body: ([Float]) -> Void) {
        for a in architecture where a.count > 0 {
            let values = a.values
            let n = a.shape[a.rank - 1]
            for start in stride(from: 0, to: values.count, by: n) { body(Array(values[start..<(start + n)])) }
        }
    }
}
