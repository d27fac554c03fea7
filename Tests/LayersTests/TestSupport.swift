import Layers
import TestSupport
import Testing
import Tensors

/// Finite-difference check of a layer with respect to its input and all of its parameters, within
/// ``GradientCheck``'s default tolerances unless told otherwise.
func checkLayerGradients(
    _ layer: any Layer, input: Tensor, tolerance: Double = GradientCheck.defaultTolerance, prepare: () -> Void = {}
) -> GradientCheck.Result {
    GradientCheck.run(inputs: [input] + layer.parameters(), tolerance: tolerance) { t in
        prepare()
        return layer(t[0])
    }
}

/// The first normal tensor drawn from seeds `seed`, `seed + 1`, ... (a hundred at most) that
/// `accept`s, or nil: picks inputs whose pre-activations stay clear of a ReLU's kink, where finite
/// differences are meaningless, without hand-written values.
func firstNormalTensor(_ shape: [Int], seed: UInt64, where accept: (Tensor) -> Bool) -> Tensor? {
    for s in seed..<(seed + 100) {
        var rng = SeededGenerator(seed: s)
        let x = Tensor.randn(shape, rng: &rng)
        if accept(x) { return x }
    }
    return nil
}

/// Whether `values` stay at least `margin` from ReLU's kink at zero and some of them are clipped
/// (so that a check through the ReLU exercises its mask).
func clearOfKink(_ values: [Float], margin: Float) -> Bool {
    values.allSatisfy { Swift.abs($0) >= margin } && values.contains { $0 < 0 } && values.contains { $0 > 0 }
}

/// Whether every pair of elements differs by at most `tolerance`.
func isClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) <= tolerance * Swift.max(1, Swift.abs($1)) }
}

/// The parent of every layers test suite.
///
/// Serialized because autodiff keeps process-wide state (the grad-mode depth used by
/// `withoutGrad` and the node counter): a test evaluating without gradients on one thread would
/// otherwise switch recording off for a test running concurrently on another.
@Suite(.serialized) struct LayersSuite {}
