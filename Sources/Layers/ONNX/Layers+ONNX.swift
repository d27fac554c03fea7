import ONNXWriter
import Tensors

/// ONNX lowerings of the layers, in inference form (evaluation mode): each adds its nodes to a graph
/// and returns the name of its output. Parameters become initializers named by `prefix`, the
/// layer's path in its model (the safetensors key without the last component).

/// Why a model cannot be written as ONNX; the message names the component.
public struct ONNXExportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension ONNXGraphBuilder {
    /// `tensor` as a float initializer named `name`.
    public func constant(_ name: String, _ tensor: Tensor) -> String {
        constant(name, dims: tensor.shape, floats: Array(UnsafeBufferPointer(start: tensor.data, count: tensor.count)))
    }

    /// A float scalar initializer.
    public func scalar(_ name: String, _ value: Float) -> String { constant(name, dims: [], floats: [value]) }

    /// `x` reshaped to `shape` (0 keeps that dimension of `x`, -1 is inferred), as ONNX's Reshape.
    public func reshape(_ x: String, _ shape: [Int], name: String) -> String {
        node("Reshape", [x, ints(name + ".shape", shape)], name: name)
    }
}

extension Linear {
    /// Gemm (x Wᵀ + b), then Relu when fused.
    public func lowerONNX(_ g: ONNXGraphBuilder, _ x: String, prefix: String) -> String {
        let inputs = operands(g, x, prefix: prefix, weight: weight, bias: bias)
        let y = g.node("Gemm", inputs, name: prefix, attributes: [ONNXAttribute("transB", .int(1))])
        return fusedReLU ? g.node("Relu", [y], name: prefix + ".relu") : y
    }
}

extension Conv1d {
    public func lowerONNX(_ g: ONNXGraphBuilder, _ x: String, prefix: String) -> String {
        let inputs = operands(g, x, prefix: prefix, weight: weight, bias: bias)
        return g.node(
            "Conv", inputs, name: prefix,
            attributes: [
                ONNXAttribute("kernel_shape", .ints([weight.shape[2]])), ONNXAttribute("strides", .ints([stride])),
                ONNXAttribute("pads", .ints([padding, padding])),
            ])
    }
}

extension Conv2d {
    public func lowerONNX(_ g: ONNXGraphBuilder, _ x: String, prefix: String) -> String {
        let inputs = operands(g, x, prefix: prefix, weight: weight, bias: bias)
        return g.node(
            "Conv", inputs, name: prefix,
            attributes: [
                ONNXAttribute("kernel_shape", .ints([weight.shape[2], weight.shape[3]])),
                ONNXAttribute("strides", .ints([stride, stride])),
                ONNXAttribute("pads", .ints([padding, padding, padding, padding])),
            ])
    }
}

extension BatchNorm1d {
    /// BatchNormalization with the running statistics (inference form), then Relu when fused.
    public func lowerONNX(_ g: ONNXGraphBuilder, _ x: String, prefix: String) -> String {
        let y = g.node(
            "BatchNormalization",
            [
                x, g.constant(prefix + ".weight", weight), g.constant(prefix + ".bias", bias),
                g.constant(prefix + ".runningMean", runningMean), g.constant(prefix + ".runningVariance", runningVariance),
            ],
            name: prefix, attributes: [ONNXAttribute("epsilon", .float(epsilon))])
        return fusedReLU ? g.node("Relu", [y], name: prefix + ".relu") : y
    }
}

extension LayerNorm {
    /// LayerNormalization over the trailing `normalizedShape` axes (opset 17).
    public func lowerONNX(_ g: ONNXGraphBuilder, _ x: String, prefix: String) -> String {
        g.node(
            "LayerNormalization", [x, g.constant(prefix + ".weight", weight), g.constant(prefix + ".bias", bias)],
            name: prefix,
            attributes: [ONNXAttribute("axis", .int(-normalizedShape.count)), ONNXAttribute("epsilon", .float(epsilon))])
    }
}

extension Dropout {
    /// The identity: dropout is off at inference.
    public func lowerONNX(_ g: ONNXGraphBuilder, _ x: String, prefix: String) -> String { x }
}

extension ActivationFunction {
    /// The function with opset-17 operators (Mish and GELU are composed: their own ops came later).
    public func lowerONNX(_ g: ONNXGraphBuilder, _ x: String, prefix: String) -> String {
        switch self {
        case .identity: return x
        case .relu: return g.node("Relu", [x], name: prefix + ".relu")
        case .leakyRelu(let slope):
            return g.node("LeakyRelu", [x], name: prefix + ".leaky_relu", attributes: [ONNXAttribute("alpha", .float(slope))])
        case .tanh: return g.node("Tanh", [x], name: prefix + ".tanh")
        case .sigmoid: return g.node("Sigmoid", [x], name: prefix + ".sigmoid")
        case .softplus: return g.node("Softplus", [x], name: prefix + ".softplus")
        case .mish:
            // x * tanh(softplus(x))
            let t = g.node("Tanh", [g.node("Softplus", [x], name: prefix + ".mish.softplus")], name: prefix + ".mish.tanh")
            return g.node("Mul", [x, t], name: prefix + ".mish")
        case .gelu:
            // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), the tanh approximation the project uses.
            let cube = g.node("Mul", [g.node("Mul", [x, x], name: prefix + ".gelu.x2"), x], name: prefix + ".gelu.x3")
            let inner = g.node(
                "Add", [x, g.node("Mul", [cube, g.scalar(prefix + ".gelu.k", 0.044715)], name: prefix + ".gelu.kx3")],
                name: prefix + ".gelu.sum")
            let t = g.node(
                "Tanh", [g.node("Mul", [inner, g.scalar(prefix + ".gelu.c", 0.7978845608028654)], name: prefix + ".gelu.scaled")],
                name: prefix + ".gelu.tanh")
            let onePlus = g.node("Add", [t, g.scalar(prefix + ".gelu.one", 1)], name: prefix + ".gelu.onePlus")
            let half = g.node("Mul", [x, g.scalar(prefix + ".gelu.half", 0.5)], name: prefix + ".gelu.halfx")
            return g.node("Mul", [half, onePlus], name: prefix + ".gelu")
        }
    }
}

/// The inputs of a Gemm or Conv node: the data, then the weight and the bias (when there is one)
/// as initializers named after the layer.
private func operands(_ g: ONNXGraphBuilder, _ x: String, prefix: String, weight: Tensor, bias: Tensor?) -> [String] {
    [x, g.constant(prefix + ".weight", weight)] + (bias.map { [g.constant(prefix + ".bias", $0)] } ?? [])
}
