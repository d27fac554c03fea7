/// Elements per independently seeded block of a large random draw.
public let randomBlockSize = 1 << 15

/// Calls `body(generator, range)` over `0..<count` so that random draws per element are
/// reproducible and, for large counts, parallel.
///
/// Up to ``randomBlockSize`` elements are drawn from `rng` itself in element order. Larger counts
/// are cut into fixed blocks, each with its own generator seeded from `rng` in block order: the
/// values depend only on the seed and the count, never on the thread count, and blocks are filled
/// on every thread. One generator drawing per element was a visible serial share of search steps.
public func forEachRandomBlock(
    _ count: Int, rng: inout SeededGenerator, _ body: (inout SeededGenerator, Range<Int>) -> Void
) {
    if count <= randomBlockSize {
        body(&rng, 0..<count)
        return
    }
    let blocks = (count + randomBlockSize - 1) / randomBlockSize
    let seeds = (0..<blocks).map { _ in rng.next() }
    seeds.withUnsafeBufferPointer { seeds in
        Threading.parallelFor(blocks, minimumPerThread: 1) { s, e in
            for block in s..<e {
                var local = SeededGenerator(seed: seeds[block])
                body(&local, (block * randomBlockSize)..<Swift.min(count, (block + 1) * randomBlockSize))
            }
        }
    }
}
