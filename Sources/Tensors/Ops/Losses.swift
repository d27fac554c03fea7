import Foundation

/// Mean cross-entropy between the softmax of `logits` (batch, classes) and integer `labels`.
///
/// Computed as `logSumExp(x) - x[label]` per row after subtracting the row maximum, so huge logits
/// stay finite; the backward pass is the fused `(softmax - onehot) / batch`. A row of all -inf
/// logits (fully masked) is scored as `Tensor.softmax` defines it, uniform: its loss is
/// `log(classes)`, as `-logSoftmax` gives, and its gradient zero.
public func softmaxCrossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
    precondition(logits.rank == 2, "softmaxCrossEntropy: logits must be (batch, classes), got \(logits.shape)")
    let (batch, classes) = (logits.shape[0], logits.shape[1])
    precondition(
        labels.count == batch,
        "softmaxCrossEntropy: \(labels.count) labels for logits of shape \(logits.shape)")
    for (row, label) in labels.enumerated() {
        precondition(
            label >= 0 && label < classes,
            "softmaxCrossEntropy: label \(label) at row \(row) is out of range for \(classes) classes")
    }
    let probabilities = Tensor(uninitializedShape: logits.shape)
    let px = UnsafePointer(logits.data), pp = probabilities.data
    let total = labels.withUnsafeBufferPointer { label in
        parallelSum(batch) { s, e in
            var loss = 0.0
            for r in s..<e {
                let x = px + r * classes, p = pp + r * classes
                var m = -Float.infinity
                for k in 0..<classes { m = Swift.max(m, x[k]) }
                // All -inf: softmax's uniform distribution, and the loss -log(1 / classes) that
                // logSoftmax gives; exp(-inf - -inf) would be NaN. The backward pass zeroes the row.
                if m == -Float.infinity {
                    for k in 0..<classes { p[k] = 1 / Float(classes) }
                    loss += Double(Foundation.log(Float(classes)))
                    continue
                }
                var sum: Float = 0
                for k in 0..<classes {
                    let v = Foundation.exp(x[k] - m)
                    p[k] = v
                    sum += v
                }
                let scale = 1 / sum
                for k in 0..<classes { p[k] *= scale }
                loss += Double(m + Foundation.log(sum) - x[label[r]])
            }
            return loss
        }
    }
    let out = Tensor(Float(total / Double(Swift.max(batch, 1))))
    return out.recorded(from: [logits]) { g in
        let gx = Tensor(uninitializedShape: logits.shape)
        let scale = g.item / Float(Swift.max(batch, 1))
        let pgx = gx.data, pp = UnsafePointer(probabilities.data)
        for i in 0..<gx.count { pgx[i] = pp[i] * scale }
        for (r, label) in labels.enumerated() { pgx[r * classes + label] -= scale }
        // A row of all -inf logits has a zero gradient: no finite change of its logits moves the loss.
        for r in 0..<batch where isFullyMasked(px, base: r * classes, count: classes, stride: 1) {
            for k in 0..<classes { pgx[r * classes + k] = 0 }
        }
        logits.accumulateGrad(gx)
    }
}

/// Mean binary cross-entropy between `sigmoid(logits)` and `targets` in [0, 1], computed as
/// `max(x, 0) - x * t + log1p(exp(-|x|))`, which never overflows. Differentiable in both arguments.
public func binaryCrossEntropyWithLogits(logits: Tensor, targets: Tensor) -> Tensor {
    precondition(
        logits.shape == targets.shape,
        "binaryCrossEntropyWithLogits: logits \(logits.shape) and targets \(targets.shape) differ in shape")
    let n = logits.count
    let px = UnsafePointer(logits.data), pt = UnsafePointer(targets.data)
    let total = parallelSum(n) { s, e in
        var acc = 0.0
        for i in s..<e {
            let x = px[i]
            acc += Double(Swift.max(x, 0) - x * pt[i] + Foundation.log1p(Foundation.exp(-Swift.abs(x))))
        }
        return acc
    }
    let out = Tensor(Float(total / Double(Swift.max(n, 1))))
    return out.recorded(from: [logits, targets]) { g in
        let scale = g.item / Float(Swift.max(n, 1))
        if logits.requiresGrad {
            // d/dx = (sigmoid(x) - t) / n
            let gx = Tensor(uninitializedShape: logits.shape)
            let pgx = gx.data
            Threading.parallelFor(n) { s, e in
                for i in s..<e { pgx[i] = (stableSigmoid(px[i]) - pt[i]) * scale }
            }
            logits.accumulateGrad(gx)
        }
        if targets.requiresGrad {
            // d/dt = -x / n
            let gt = Tensor(uninitializedShape: targets.shape)
            let pgt = gt.data
            Threading.parallelFor(n) { s, e in for i in s..<e { pgt[i] = -px[i] * scale } }
            targets.accumulateGrad(gt)
        }
    }
}

/// Mean of `(prediction - target)²` over all elements; both must have the same shape.
public func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
    precondition(
        prediction.shape == target.shape,
        "meanSquaredError: prediction \(prediction.shape) and target \(target.shape) differ in shape")
    let n = prediction.count
    let pa = UnsafePointer(prediction.data), pb = UnsafePointer(target.data)
    let total = parallelSum(n) { s, e in
        var acc = 0.0
        for i in s..<e {
            let d = pa[i] - pb[i]
            acc += Double(d * d)
        }
        return acc
    }
    let out = Tensor(Float(total / Double(Swift.max(n, 1))))
    return out.recorded(from: [prediction, target]) { g in
        let scale = 2 * g.item / Float(Swift.max(n, 1))
        // The target's gradient is the negated prediction gradient.
        for (tensor, sign) in [(prediction, Float(1)), (target, Float(-1))] where tensor.requiresGrad {
            let gd = Tensor(uninitializedShape: tensor.shape)
            let pgd = gd.data, factor = sign * scale
            Threading.parallelFor(n) { s, e in for i in s..<e { pgd[i] = (pa[i] - pb[i]) * factor } }
            tensor.accumulateGrad(gd)
        }
    }
}
