import CBLAS

/// Checks the products of the BLAS kernel in use against a double-precision reference: SGEMM (through
/// ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``, so the blocks it cuts large
/// products into are checked too) in all four transpose combinations at odd sizes, and SGEMV.
///
/// A kernel family chosen for a CPU it does not fit (by OpenBLAS, by the user, or by
/// ``BLASKernel/useFastestKernel(arguments:)``) computes garbage or crashes; this says which.
public enum BLASSelfCheck {
    /// One product checked: what it was and its error relative to the error a correct Float32
    /// product may have.
    public struct Result: Sendable, CustomStringConvertible {
        public let product: String
        /// The largest |computed - reference| / (k · ε · Σ|a||b|) over the output: at most 1 for a
        /// correct kernel (the worst-case bound of a Float32 dot product of length k, rounding
        /// included); a wrong kernel gives values in the millions.
        public let errorInBounds: Double
        public var passed: Bool { errorInBounds <= 1 && errorInBounds.isFinite }
        public var description: String {
            "\(product): \(passed ? "ok" : "WRONG") (error \(errorInBounds) of the bound)"
        }
    }

    /// Odd sizes, so the kernels' edge paths run; the second is large enough to be cut into blocks
    /// when more than one thread is set.
    public static let sizes: [(m: Int, n: Int, k: Int)] = [(67, 45, 129), (257, 129, 67)]

    /// Runs every check with deterministic data.
    public static func run() -> [Result] {
        var results: [Result] = []
        var generator = SeededGenerator(seed: 17)
        for (m, n, k) in sizes {
            for transA in [false, true] {
                for transB in [false, true] {
                    let a = (0..<(m * k)).map { _ in Float.random(in: -1...1, using: &generator) }
                    let b = (0..<(k * n)).map { _ in Float.random(in: -1...1, using: &generator) }
                    var c = [Float](repeating: .nan, count: m * n)
                    sgemm(transA: transA, transB: transB, m: m, n: n, k: k, a: a, b: b, c: &c)
                    // op(a)[i][p] and op(b)[p][j] in the row-major layouts sgemm reads.
                    let opA = { (i: Int, p: Int) in Double(transA ? a[p * m + i] : a[i * k + p]) }
                    let opB = { (p: Int, j: Int) in Double(transB ? b[j * k + p] : b[p * n + j]) }
                    var worst = 0.0
                    for i in 0..<m {
                        for j in 0..<n {
                            var exact = 0.0, magnitude = 0.0
                            for p in 0..<k {
                                exact += opA(i, p) * opB(p, j)
                                magnitude += abs(opA(i, p) * opB(p, j))
                            }
                            worst = max(worst, relative(Double(c[i * n + j]), exact, magnitude, k))
                        }
                    }
                    let name = "sgemm \(transA ? "T" : "N")\(transB ? "T" : "N") \(m)x\(n)x\(k)"
                    results.append(Result(product: name, errorInBounds: worst))
                }
            }
            results.append(checkSGEMV(m: m, n: k, generator: &generator))
        }
        return results
    }

    private static func checkSGEMV(m: Int, n: Int, generator: inout SeededGenerator) -> Result {
        let a = (0..<(m * n)).map { _ in Float.random(in: -1...1, using: &generator) }
        let x = (0..<n).map { _ in Float.random(in: -1...1, using: &generator) }
        var y = [Float](repeating: .nan, count: m)
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), 1, a, Int32(n), x, 1, 0, &y, 1)
        var worst = 0.0
        for i in 0..<m {
            var exact = 0.0, magnitude = 0.0
            for p in 0..<n {
                exact += Double(a[i * n + p]) * Double(x[p])
                magnitude += abs(Double(a[i * n + p]) * Double(x[p]))
            }
            worst = max(worst, relative(Double(y[i]), exact, magnitude, n))
        }
        return Result(product: "sgemv N \(m)x\(n)", errorInBounds: worst)
    }

    private static func relative(_ computed: Double, _ exact: Double, _ magnitude: Double, _ k: Int) -> Double {
        let bound = Double(k + 1) * Double(Float.ulpOfOne) * max(magnitude, Double(Float.leastNormalMagnitude))
        return computed.isFinite ? abs(computed - exact) / bound : .infinity
    }
}
