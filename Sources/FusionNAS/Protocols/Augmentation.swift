import Tensors

/// A random transformation of a batch of one modality, used to make views for self-supervised losses.
///
/// It receives the modality's batch (batch, sampleShape...) and returns one of the same shape. It
/// must draw its randomness from `rng` so that runs are reproducible.
public protocol Augmentation: Sendable {
    /// A name for messages and configurations.
    var name: String { get }
    /// Whether this augmentation applies to a modality of the given sample shape.
    func applies(toSampleShape shape: [Int]) -> Bool
    /// Transforms the batch.
    func callAsFunction(_ batch: Tensor, rng: inout SeededGenerator) -> Tensor
}

/// An augmentation that acts on all modalities of a sample together (modality drop, within-batch mixing).
public protocol MultimodalAugmentation: Sendable {
    var name: String { get }
    func callAsFunction(_ batch: [Tensor], rng: inout SeededGenerator) -> [Tensor]
}

/// An augmentation that changes each element on its own (noise, masking): consecutive ones are
/// fused by ``AugmentationPipeline`` into one pass over memory.
///
/// Feature tensors of BM-NAS scale are tens of megabytes per batch. Fused, each block of elements
/// is read once, transformed by every augmentation while it is in cache and written once, straight
/// into its place in the stacked views (``AugmentationPipeline/stackedViews(_:count:rng:)``),
/// instead of a pass and a fresh buffer per augmentation plus a copy to stack the views.
///
/// Implement ``Augmentation/name``, ``Augmentation/applies(toSampleShape:)`` and
/// ``transform(_:rng:)``; `callAsFunction` is provided.
public protocol ElementwiseAugmentation: Augmentation {
    /// Transforms `values` in place, drawing from `rng` in element order.
    func transform(_ values: UnsafeMutableBufferPointer<Float>, rng: inout SeededGenerator)
}

extension ElementwiseAugmentation {
    public func callAsFunction(_ batch: Tensor, rng: inout SeededGenerator) -> Tensor {
        let out = Tensor(uninitializedShape: batch.shape)
        applyElementwise([self], from: UnsafePointer(batch.data), to: out.data, count: batch.count, rng: &rng)
        return out
    }
}

/// Writes `chain` applied in order to `count` elements of `source` into `target` (which may be
/// `source`), block by block: every augmentation transforms a block while it is in cache.
///
/// Blocks come from ``forEachRandomBlock(_:rng:_:)``, so the values depend only on the seed and the
/// count, never on the thread count; one generator serves the whole chain within a block.
public func applyElementwise(
    _ chain: [any ElementwiseAugmentation], from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>,
    count: Int, rng: inout SeededGenerator
) {
    forEachRandomBlock(count, rng: &rng) { generator, range in
        let block = UnsafeMutableBufferPointer(start: target + range.lowerBound, count: range.count)
        if UnsafePointer(target) != source {
            block.baseAddress!.update(from: source + range.lowerBound, count: range.count)
        }
        for augmentation in chain { augmentation.transform(block, rng: &generator) }
    }
}
