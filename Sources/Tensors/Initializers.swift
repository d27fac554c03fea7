extension Tensor {
    /// Standard normal draws times `std`.
    public static func randn(_ shape: [Int], std: Float = 1, rng: inout SeededGenerator) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        for i in 0..<out.count { out.data[i] = rng.normal() * std }
        return out
    }

    /// Uniform draws in `[low, high)`.
    public static func uniform(_ shape: [Int], low: Float, high: Float, rng: inout SeededGenerator) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        for i in 0..<out.count { out.data[i] = low + (high - low) * rng.uniform() }
        return out
    }
}
