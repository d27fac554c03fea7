import Tensors

/// Rescales gradients so that their global L2 norm is at most `maxNorm`, as
/// `torch.nn.utils.clip_grad_norm_`; returns the norm before clipping.
///
/// The norm is taken over the gradients of all `parameters` together (nil gradients count as
/// zero). When it exceeds `maxNorm`, every gradient is replaced by a scaled copy (factor
/// `maxNorm / (norm + 1e-6)`); gradients are never modified in place because a gradient tensor may
/// be shared.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var squares: Double = 0
    for parameter in parameters {
        guard let grad = parameter.grad else { continue }
        let g = grad.data
        for i in 0..<grad.count { squares += Double(g[i]) * Double(g[i]) }
    }
    let norm = Float(squares.squareRoot())
    let scale = maxNorm / (norm + 1e-6)
    guard scale < 1 else { return norm }
    for parameter in parameters {
        guard let grad = parameter.grad else { continue }
        let scaled = Tensor(uninitializedShape: grad.shape)
        let g = grad.data, o = scaled.data
        for i in 0..<grad.count { o[i] = g[i] * scale }
        parameter.grad = scaled
    }
    return norm
}
