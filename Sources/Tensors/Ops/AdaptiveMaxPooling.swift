/// Maximum over windows that split each (N, C) plane into `outputSize` cells, as PyTorch's
/// `AdaptiveMaxPool2d`: cell `i` covers `floor(i * in / out) ..< ceil((i + 1) * in / out)`, so an
/// output larger than the input repeats input elements (a 1 x 1 plane becomes a constant one).
///
/// The gradient goes to the first maximal element of each window (summed where windows overlap).
public func adaptiveMaxPool2d(_ input: Tensor, outputSize: (Int, Int)) -> Tensor {
    precondition(input.rank == 4, "adaptiveMaxPool2d: expects input (N, C, H, W), got \(input.shape)")
    precondition(
        outputSize.0 >= 1 && outputSize.1 >= 1,
        "adaptiveMaxPool2d: output size \(outputSize) must be positive (input \(input.shape))")
    return maxPool(
        input, rows: .adaptive(input.shape[2], outputSize.0), columns: .adaptive(input.shape[3], outputSize.1))
}
