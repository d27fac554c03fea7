/// A vectorised logistic function for elementwise ops whose cost is dominated by `exp`.
///
/// `Foundation.exp` is a scalar library call; the GLU gate of BM-NAS's LinearGLU evaluates it for
/// every element of a (B, 2C, L) map in every step. This evaluates eight lanes at a time with the
/// classic Cephes `expf` reduction (x = n ln 2 + r, |r| <= ln 2 / 2, degree-6 polynomial, 2^n
/// from the exponent bits); its relative error is a few units in the last place, far below the
/// tolerance of any training use, and the result depends only on the input.

typealias Lanes8 = SIMD8<Float>

/// e^x for each lane, for x in about [-87, 88]; callers clamp first.
@inline(__always)
func vectorExp(_ x: Lanes8) -> Lanes8 {
    let log2e: Float = 1.442_695_04
    // ln 2 split in a high part exact in few bits and a low correction (Cody-Waite).
    let ln2High: Float = 0.693_359_375, ln2Low: Float = -2.121_944_4e-4
    // Round to nearest even by adding and subtracting 1.5 * 2^23 (exact for |x log2 e| < 2^22): the
    // same result as `.rounded(.toNearestOrEven)`, which does not vectorise on this target.
    let roundingMagic: Float = 0x1.8p23
    let n = (x * log2e + roundingMagic) - roundingMagic
    var r = x - n * ln2High
    r = r - n * ln2Low
    var p: Lanes8 = Lanes8(repeating: 1.987_569_1e-4)
    p = p * r + 1.398_199_9e-3
    p = p * r + 8.333_452e-3
    p = p * r + 4.166_579_6e-2
    p = p * r + 0.166_666_66
    p = p * r + 0.5
    p = p * r * r + r + 1
    // 2^n: n + 127 in the exponent field. The integer comes from the float's mantissa after adding
    // 2^23 (the bits of 2^23 + k are 0x4B000000 + k): `SIMD8<Int32>(n)` converts lane by lane
    // through a generic path and was 6 % of a search step.
    let biased = unsafeBitCast(n + (127 + 0x1p23), to: SIMD8<UInt32>.self) &- 0x4B00_0000
    return p * unsafeBitCast(biased &<< 23, to: Lanes8.self)
}

/// 1 / (1 + e^-x) for each lane; saturates to 0 or 1 outside about ±87.
@inline(__always)
func vectorSigmoid(_ x: Lanes8) -> Lanes8 {
    let clamped = x.clamped(lowerBound: Lanes8(repeating: -87), upperBound: Lanes8(repeating: 87))
    return 1 / (1 + vectorExp(-clamped))
}

/// Writes `sigmoid(src[i])` to `dst[i]` for `n` elements (lanes of eight, then a scalar tail).
func sigmoidRun(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    while i + 8 <= n {
        let v = vectorSigmoid(UnsafeRawPointer(src + i).loadUnaligned(as: Lanes8.self))
        UnsafeMutableRawPointer(dst + i).storeBytes(of: v, as: Lanes8.self)
        i += 8
    }
    while i < n {
        dst[i] = stableSigmoid(src[i])
        i += 1
    }
}
