import FusionNAS
import Tensors

/// Adds independent Gaussian noise N(0, std²) to every element: `x' = x + std · ε`.
///
/// Default `std` 0.1, meant for standardised features (unit variance), where it perturbs each
/// feature by about a tenth of its spread. Applies to every sample shape. The draws are ziggurat
/// normals (``SeededGenerator/zigguratNormal()``).
public struct GaussianNoise: ElementwiseAugmentation {
    public static let defaultStd: Float = 0.1

    public let std: Float
    public var name: String { "gaussian_noise" }

    /// - Precondition: `std` is finite and non-negative.
    public init(std: Float = GaussianNoise.defaultStd) {
        precondition(std.isFinite && std >= 0, "GaussianNoise: std must be finite and >= 0, got \(std)")
        self.std = std
    }

    /// From registry options: `std` (default 0.1, at least 0).
    public init(options: [String: Double]) throws {
        let reader = try AugmentationOptions(options, component: "gaussian_noise", known: ["std"])
        self.init(std: Float(try reader.value("std", default: Double(Self.defaultStd), in: 0...Double.greatestFiniteMagnitude)))
    }

    public func applies(toSampleShape shape: [Int]) -> Bool { true }

    public func transform(_ values: UnsafeMutableBufferPointer<Float>, rng: inout SeededGenerator) {
        rng.addZigguratNormals(scaledBy: std, to: values)
    }
}
