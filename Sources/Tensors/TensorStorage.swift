import Foundation

#if canImport(Glibc)
    import CMalloc
#endif

/// The owned, 64-byte aligned Float32 buffer behind one or more tensors.
///
/// Reshaping shares a storage; every other op allocates a fresh one. Buffers are freed when the last
/// tensor referring to them goes away.
public final class TensorStorage: @unchecked Sendable {
    /// The first element.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of Float32 elements.
    public let count: Int

    /// Keeps glibc from returning large buffers to the kernel between training iterations.
    ///
    /// A training step frees and reallocates the same few large buffers every iteration. By default
    /// glibc serves blocks above its mmap threshold with fresh mappings and trims the heap top on
    /// free, so every iteration pays page faults and page zeroing for its activations (7% of the
    /// BM-NAS search step); and each worker thread that frees a buffer gets an arena of its own,
    /// where the main thread cannot reuse it. One arena, mappings only above 32 MB (glibc refuses a
    /// higher threshold) and no trimming keep freed memory in the heap for reuse: a BM-NAS-scale
    /// self-supervised search step ran about 9 % faster with 40 % less system time once the arena
    /// limit was added. Peak memory is unchanged because the same sizes come back each step.
    static let mallocTuned: Bool = {
        #if canImport(Glibc)
            _ = mallopt(M_ARENA_MAX, 1)
            _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
            _ = mallopt(M_TRIM_THRESHOLD, Int32.max)
        #endif
        return true
    }()

    /// Allocates `count` uninitialised elements.
    public init(count: Int) {
        precondition(count >= 0, "TensorStorage: negative element count \(count)")
        _ = Self.mallocTuned
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    deinit { pointer.deallocate() }

    /// The elements as a buffer.
    @inlinable public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }
}
