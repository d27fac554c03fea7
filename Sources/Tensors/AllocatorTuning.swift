#if canImport(Glibc)
    import CMalloc
#endif

/// Process-wide settings of the C allocator suited to training loops.
public enum AllocatorTuning {
    /// Keeps freed tensor buffers in one heap for reuse instead of returning them to the system.
    ///
    /// A training step allocates and frees the same few dozen buffers of 1-14 MB over and over.
    /// With glibc's defaults each worker thread that frees one gets its own arena, buffers above
    /// the adaptive mmap threshold are mapped and unmapped every time, and the heap top is trimmed
    /// as soon as it is free; every reuse then starts with page faults on zeroed pages. One arena,
    /// mapping only above 32 MB (glibc's maximum threshold) and trimming only above 1 GB made a
    /// BM-NAS-sized self-supervised search 9 % faster per iteration with 40 % less system time.
    /// Memory held stays bounded by the largest step's working set. Only glibc is tuned; elsewhere
    /// this does nothing. Call it once, before the first tensor is made (the command does).
    public static func applyForTraining() {
        #if canImport(Glibc)
            _ = mallopt(M_ARENA_MAX, 1)
            _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
            _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
        #endif
    }
}
