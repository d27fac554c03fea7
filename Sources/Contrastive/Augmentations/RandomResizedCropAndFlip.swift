import Foundation
import FusionNAS
import Tensors

/// SimCLR's random resized crop and horizontal flip, for image-like modalities (batch, C, H, W).
///
/// Per sample: a crop covering a fraction `scale` ~ U(minimumScale, maximumScale) of the area
/// (default 0.7-1.0: the images are small, so SimCLR's 0.08 would leave nothing of a 15 × 16 digit),
/// with aspect ratio r ~ log-U(3/4, 4/3) as torchvision, at a uniform position; it is resized back
/// to H × W (bilinear by default, sampling pixel centres as `align_corners=False`; or nearest), then
/// mirrored left-right with probability `flipProbability` (default 0.5 as SimCLR; use 0 for digits
/// and text-like images, where a mirrored 2 or 7 is not a digit of the same class).
public struct RandomResizedCropAndFlip: Augmentation {
    /// How the crop is resized back to the input size.
    public enum Interpolation: String, Sendable {
        case nearest
        case bilinear
    }

    public static let defaultScale: ClosedRange<Float> = 0.7...1.0
    public static let defaultFlipProbability: Float = 0.5
    /// torchvision's aspect-ratio range.
    static let aspectRatios: ClosedRange<Float> = 0.75...(4.0 / 3.0)

    public let scale: ClosedRange<Float>
    public let flipProbability: Float
    public let interpolation: Interpolation
    public var name: String { "crop_flip" }

    /// - Precondition: `scale` lies in (0, 1] and `flipProbability` in [0, 1].
    public init(
        scale: ClosedRange<Float> = RandomResizedCropAndFlip.defaultScale,
        flipProbability: Float = RandomResizedCropAndFlip.defaultFlipProbability,
        interpolation: Interpolation = .bilinear
    ) {
        precondition(scale.lowerBound > 0 && scale.upperBound <= 1, "RandomResizedCropAndFlip: scale must lie in (0, 1], got \(scale)")
        precondition((0...1).contains(flipProbability), "RandomResizedCropAndFlip: flip probability must be in [0, 1], got \(flipProbability)")
        self.scale = scale
        self.flipProbability = flipProbability
        self.interpolation = interpolation
    }

    /// From registry options: `min_scale` (0.7), `max_scale` (1.0), `flip_probability` (0.5),
    /// `bilinear` (1 for bilinear, 0 for nearest; default 1).
    public init(options: [String: Double]) throws {
        let reader = try AugmentationOptions(
            options, component: "crop_flip", known: ["min_scale", "max_scale", "flip_probability", "bilinear"])
        let low = try reader.value("min_scale", default: Double(Self.defaultScale.lowerBound), in: 1e-3...1)
        let high = try reader.value("max_scale", default: Double(Self.defaultScale.upperBound), in: 1e-3...1)
        guard low <= high else { throw ComponentError(.invalidOption(component: "crop_flip"), "crop_flip: min_scale \(low) exceeds max_scale \(high)") }
        let bilinear = try reader.value("bilinear", default: 1, in: 0...1)
        guard bilinear == 0 || bilinear == 1 else { throw ComponentError(.invalidOption(component: "crop_flip"), "crop_flip: bilinear must be 0 or 1, got \(bilinear)") }
        self.init(
            scale: Float(low)...Float(high),
            flipProbability: try reader.probability("flip_probability", default: Double(Self.defaultFlipProbability)),
            interpolation: bilinear == 1 ? .bilinear : .nearest)
    }

    /// Images only: samples of shape (C, H, W).
    public func applies(toSampleShape shape: [Int]) -> Bool { shape.count == 3 }

    public func callAsFunction(_ batch: Tensor, rng: inout SeededGenerator) -> Tensor {
        precondition(batch.rank == 4, "RandomResizedCropAndFlip: expects (batch, C, H, W), got \(batch.shape)")
        let (count, channels, height, width) = (batch.shape[0], batch.shape[1], batch.shape[2], batch.shape[3])
        let out = Tensor(uninitializedShape: batch.shape)
        let plane = height * width
        for sample in 0..<count {
            let box = cropBox(height: height, width: width, rng: &rng)
            let flip = rng.uniform() < flipProbability
            for channel in 0..<channels {
                let offset = (sample * channels + channel) * plane
                resize(
                    from: batch.data + offset, to: out.data + offset, height: height, width: width,
                    box: box, flip: flip)
            }
        }
        return out
    }

    /// A crop (top, left, height, width) in pixels, at least one pixel each way.
    func cropBox(height: Int, width: Int, rng: inout SeededGenerator) -> (top: Int, left: Int, height: Int, width: Int) {
        let area = Float(height * width) * (scale.lowerBound + rng.uniform() * (scale.upperBound - scale.lowerBound))
        let logLow = Foundation.log(Self.aspectRatios.lowerBound), logHigh = Foundation.log(Self.aspectRatios.upperBound)
        let ratio = Foundation.exp(logLow + rng.uniform() * (logHigh - logLow))
        let cropWidth = Swift.min(width, Swift.max(1, Int(((area * ratio).squareRoot()).rounded())))
        let cropHeight = Swift.min(height, Swift.max(1, Int(((area / ratio).squareRoot()).rounded())))
        let top = Int(rng.uniform() * Float(height - cropHeight + 1))
        let left = Int(rng.uniform() * Float(width - cropWidth + 1))
        return (Swift.min(top, height - cropHeight), Swift.min(left, width - cropWidth), cropHeight, cropWidth)
    }

    /// Resamples the crop `box` of one (height, width) plane to the full plane.
    func resize(
        from source: UnsafeMutablePointer<Float>, to target: UnsafeMutablePointer<Float>, height: Int, width: Int,
        box: (top: Int, left: Int, height: Int, width: Int), flip: Bool
    ) {
        let scaleY = Float(box.height) / Float(height), scaleX = Float(box.width) / Float(width)
        for y in 0..<height {
            // Pixel centres map to pixel centres (align_corners=False), clamped inside the crop.
            let sy = Swift.min(Swift.max((Float(y) + 0.5) * scaleY - 0.5, 0), Float(box.height - 1))
            for x in 0..<width {
                let sx = Swift.min(Swift.max((Float(x) + 0.5) * scaleX - 0.5, 0), Float(box.width - 1))
                let value: Float
                switch interpolation {
                case .nearest:
                    let row = box.top + Swift.min(Int(sy.rounded()), box.height - 1)
                    let column = box.left + Swift.min(Int(sx.rounded()), box.width - 1)
                    value = source[row * width + column]
                case .bilinear:
                    let y0 = Int(sy), x0 = Int(sx)
                    let y1 = Swift.min(y0 + 1, box.height - 1), x1 = Swift.min(x0 + 1, box.width - 1)
                    let fy = sy - Float(y0), fx = sx - Float(x0)
                    func at(_ r: Int, _ c: Int) -> Float { source[(box.top + r) * width + box.left + c] }
                    let upper = at(y0, x0) * (1 - fx) + at(y0, x1) * fx
                    let lower = at(y1, x0) * (1 - fx) + at(y1, x1) * fx
                    value = upper * (1 - fy) + lower * fy
                }
                target[y * width + (flip ? width - 1 - x : x)] = value
            }
        }
    }
}
