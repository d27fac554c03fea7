import Tensors

/// One reference workload of the benchmark (see Docs/performance.md).
protocol BenchWorkload: AnyObject {
    /// The name used on the command line and in the JSON line.
    static var name: String { get }
    /// REFERENCE.md's nominal matrix-product work of one iteration, in GFLOP (whatever is skipped).
    static var nominalGFLOP: Double { get }
    /// One iteration as REFERENCE.md defines it.
    func iterate()
    /// The loss of the last iteration.
    var lastLoss: Float { get }
    /// A hash of the trained parameters' bits: equal across runs with the same seed and thread
    /// count exactly when the runs were bit-identical (the determinism check).
    var checksum: String { get }
}

/// FNV-1a over the bit patterns of every element of `parameters`, as 16 hex digits.
func parameterChecksum(_ parameters: [Tensor]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for p in parameters {
        let d = p.data
        for i in 0..<p.count {
            hash ^= UInt64(d[i].bitPattern)
            hash &*= 0x100_0000_01b3
        }
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
