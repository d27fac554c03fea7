import Layers
import ONNXWriter
import Tensors


/// An encoder that can write itself as ONNX nodes (inference form).
///
/// `inputs` are the graph values of the tensors `callAsFunction` receives, each with its batch axis
/// first; the result is one value per feature level, each (batch, C_i, L_i), as `callAsFunction` returns.
public protocol ONNXLowerableEncoder {
    func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> [String]
}

/// A fusion primitive that can write itself as ONNX nodes (inference form: dropout removed,
/// BatchNorm with its running statistics). A primitive without it (a plugin's, say) cannot be exported.
public protocol ONNXLowerablePrimitive {
    func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> String
}

/// A fusion body (a found network) that can write itself as ONNX nodes: from the input nodes
/// (every feature level, in order) to the fused map (batch, outputChannels, outputLength).
public protocol ONNXLowerableBody {
    func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> String
}

/// One graph input of an exported network: its name and per-sample shape (the batch axis is dynamic).
public struct ONNXInputSpec: Sendable, Equatable {
    public var name: String
    public var sampleShape: [Int]
    public init(name: String, sampleShape: [Int]) {
        self.name = name
        self.sampleShape = sampleShape
    }
}

extension MultimodalNetwork {
    /// The trained network (encoders, body, representation norm, head) as an ONNX model for
    /// inference: `inputs[m]` are the graph inputs of modality m (one per tensor its encoder reads),
    /// the output `logits` is (batch, outputs). Throws, naming the component, when a part has no
    /// ONNX lowering.
    public func onnxModel(
        inputs: [[ONNXInputSpec]], producerVersion: String, metadata: [(key: String, value: String)]
    ) throws -> ONNXModel {
        guard let head else { throw ONNXExportError("the network has no task head; export a fine-tuned (or supervised) network") }
        guard inputs.count == encoders.count else {
            throw ONNXExportError("\(inputs.count) modalities of inputs given, the network has \(encoders.count) encoders")
        }
        let g = ONNXGraphBuilder(name: "fusion-nas")
        var levels: [String] = []
        for (m, (encoder, specs)) in zip(encoders, inputs).enumerated() {
            let names = specs.map { spec in
                g.input(spec.name, shape: [.symbolic("batch")] + spec.sampleShape.map { .fixed($0) })
            }
            guard let lowerable = encoder as? ONNXLowerableEncoder else {
                throw ONNXExportError(
                    "encoder \(type(of: encoder)) of modality \(m) (\(specs.map(\.name).joined(separator: ", "))) has no ONNX lowering; only the built-in encoders (mlp, cnn, conv1d, precomputed) can be exported")
            }
            levels += try lowerable.lowerONNX(g, inputs: names, prefix: "encoders.\(m)")
        }
        guard let lowerableBody = body as? ONNXLowerableBody else {
            throw ONNXExportError("fusion body \(type(of: body)) has no ONNX lowering")
        }
        let fused = try lowerableBody.lowerONNX(g, inputs: levels, prefix: "body")
        let normalized = norm.lowerONNX(g, fused, prefix: "norm")
        let representation = g.node(
            "Flatten", [g.node("Relu", [normalized], name: "norm.relu")], name: "representation",
            attributes: [ONNXAttribute("axis", .int(1))])
        let logits = head.lowerONNX(g, representation, prefix: "head")
        g.output(logits, as: "logits", shape: [.symbolic("batch"), .fixed(head.weight.shape[0])])
        return ONNXModel(graph: g.graph, producerName: "fusion-nas", producerVersion: producerVersion, metadata: metadata)
    }
}

extension VectorEncoder: ONNXLowerableEncoder {
    /// Level k: Relu(Gemm) of level k - 1 (dropout removed), unsqueezed to (batch, width, 1).
    public func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> [String] {
        var h = inputs[0]
        var levels: [String] = []
        for (k, layer) in layers.enumerated() {
            h = g.node("Relu", [layer.lowerONNX(g, h, prefix: "\(prefix).layers.\(k)")], name: "\(prefix).layers.\(k).relu")
            h = dropout.lowerONNX(g, h, prefix: "\(prefix).dropout")
            levels.append(g.node("Unsqueeze", [h, g.ints("\(prefix).level\(k).axes", [2])], name: "\(prefix).level\(k)"))
        }
        return levels
    }
}

extension ImageEncoder: ONNXLowerableEncoder {
    /// Block k: (2x2 MaxPool, stride 2, for k > 0) -> Conv -> Relu; level k reshaped to (batch, filters, H_k W_k).
    public func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> [String] {
        var h = inputs[0]
        var levels: [String] = []
        for (k, conv) in convolutions.enumerated() {
            if k > 0 {
                h = g.node(
                    "MaxPool", [h], name: "\(prefix).pool\(k)",
                    attributes: [ONNXAttribute("kernel_shape", .ints([2, 2])), ONNXAttribute("strides", .ints([2, 2]))])
            }
            h = g.node("Relu", [conv.lowerONNX(g, h, prefix: "\(prefix).convolutions.\(k)")], name: "\(prefix).convolutions.\(k).relu")
            let shape = levelShapes[k]
            levels.append(g.reshape(h, [0, shape.channels, shape.length], name: "\(prefix).level\(k)"))
        }
        return levels
    }
}

extension SequenceEncoder: ONNXLowerableEncoder {
    /// Block k: Conv (kernel 5, padding 2, stride 1 then 2) -> BatchNormalization (running statistics) -> Relu.
    public func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> [String] {
        var h = inputs[0]
        var levels: [String] = []
        for (k, (conv, norm)) in zip(convolutions, norms).enumerated() {
            h = norm.lowerONNX(g, conv.lowerONNX(g, h, prefix: "\(prefix).convolutions.\(k)"), prefix: "\(prefix).norms.\(k)")
            levels.append(h)
        }
        return levels
    }
}

extension PrecomputedFeatures: ONNXLowerableEncoder {
    /// The levels as given; a (batch, C) level is reshaped to (batch, C, L).
    public func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> [String] {
        zip(inputs, levelShapes).enumerated().map { k, pair in
            g.reshape(pair.0, [0, pair.1.channels, pair.1.length], name: "\(prefix).level\(k)")
        }
    }
}
