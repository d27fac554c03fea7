import Foundation

/// The one random generator used everywhere (initialisation, dropout, shuffling, augmentation).
///
/// xoshiro256** seeded through SplitMix64: fast, 256 bits of state, and the same seed gives the same
/// stream on every machine. Pass it `inout` so that draws are ordered and reproducible.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Codable, Equatable {
    @usableFromInline var s0, s1, s2, s3: UInt64

    /// A generator whose stream is determined by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform Float in [0, 1).
    @inlinable
    public mutating func uniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A uniform Double in [0, 1).
    public mutating func uniformDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal draw (Box-Muller in Double).
    public mutating func normal() -> Float {
        let u1 = max(uniformDouble(), 0x1p-60)
        let u2 = uniformDouble()
        return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
    }

    /// An independent generator derived from this one (for a component that needs its own stream).
    public mutating func fork() -> SeededGenerator { SeededGenerator(seed: next()) }
}

@usableFromInline func _log(_ x: Double) -> Double { Foundation.log(x) }
@usableFromInline func _cos(_ x: Double) -> Double { Foundation.cos(x) }
