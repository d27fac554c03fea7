import FusionNAS
import Layers
import ONNXWriter
import Tensors

// ONNX lowerings of BM-NAS's found network and primitives, in inference form: dropout removed,
// BatchNorm with its running statistics. Every op has an exact opset-17 counterpart; none is approximated.

extension InputReshaper {
    /// Adaptive average pooling to L (a MatMul with the averaging matrix of PyTorch's adaptive
    /// windows, which also covers lengths that do not divide) or, with ``InputPooling/maximum``,
    /// adaptive max pooling of the 2-D map to its grid (``ONNXGraphBuilder/adaptiveMaxPool2d(_:inputSize:outputSize:name:)``);
    /// then 1x1 Conv, BatchNormalization, Relu (the dropout is the identity at inference). A
    /// length-1 input is transformed at length 1 and expanded along L, or projected to C·L and
    /// reshaped to (C, L).
    func lowerONNX(_ g: ONNXGraphBuilder, _ x: String, prefix: String) -> String {
        if projectsVector {
            let y = g.node(
                "Reshape", [conv.lowerONNX(g, x, prefix: prefix + ".conv"), g.ints(prefix + ".reshape.shape", [0, channels, length])],
                name: prefix + ".reshape")
            return norm.lowerONNX(g, y, prefix: prefix + ".norm")
        }
        if inputLength == 1 {
            let y = norm.lowerONNX(g, conv.lowerONNX(g, x, prefix: prefix + ".conv"), prefix: prefix + ".norm")
            return g.node("Expand", [y, g.ints(prefix + ".expand.shape", [1, channels, length])], name: prefix + ".expand")
        }
        var adapted = x
        if pooling == .maximum {
            let (map, grid) = maxPoolingShapes
            let planes = g.reshape(x, [0, conv.weight.shape[1], map.0, map.1], name: prefix + ".pool.map")
            let pooled = g.adaptiveMaxPool2d(planes, inputSize: map, outputSize: grid, name: prefix + ".pool")
            adapted = g.reshape(pooled, [0, conv.weight.shape[1], length], name: prefix + ".pool.flat")
        } else if inputLength != length {
            var matrix = [Float](repeating: 0, count: inputLength * length)
            for i in 0..<length {
                let start = i * inputLength / length
                let end = ((i + 1) * inputLength + length - 1) / length
                for j in start..<end { matrix[j * length + i] = 1 / Float(end - start) }
            }
            adapted = g.node(
                "MatMul", [x, g.constant(prefix + ".pool.matrix", dims: [inputLength, length], floats: matrix)], name: prefix + ".pool")
        }
        return norm.lowerONNX(g, conv.lowerONNX(g, adapted, prefix: prefix + ".conv"), prefix: prefix + ".norm")
    }
}

/// Lowered with the structure its genotype records: the input reshapers with their pooling, and each
/// cell ending per step (residual + LayerNormalization, Conv for several steps) or as BM-NAS's
/// (``ReferenceCellOutput``).
extension FusionNASNetwork: ONNXLowerableBody {
    public func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> String {
        guard inputs.count == reshapers.count else {
            throw ONNXExportError("FusionNASNetwork: \(inputs.count) input nodes given, configured for \(reshapers.count)")
        }
        var nodes = zip(reshapers, inputs).enumerated().map { i, pair in
            pair.0.map { $0.lowerONNX(g, pair.1, prefix: "\(prefix).reshapers.\(i)") } ?? pair.1
        }
        var outputs: [String] = []
        for (c, (cell, cellGenotype)) in zip(cells, genotype.cells).enumerated() {
            let cellPrefix = "\(prefix).cells.\(c)"
            var local = cell.inputs.map { nodes[$0] }
            for (s, (step, stepGenotype)) in zip(cell.steps, cellGenotype.steps).enumerated() {
                let stepPrefix = "\(cellPrefix).steps.\(s)"
                guard let primitive = step.primitive as? ONNXLowerablePrimitive else {
                    throw ONNXExportError(
                        "primitive '\(stepGenotype.primitive)' (cell \(c), step \(s)) has no ONNX lowering, so this network cannot be exported to ONNX; only the built-in primitives can")
                }
                let operands = step.inputs.map { local[$0] }
                let mixed = try primitive.lowerONNX(g, inputs: operands, prefix: stepPrefix + ".primitive")
                guard let norm = step.norm else {
                    // CellOutput.reference: the cell's output normalises once.
                    local.append(mixed)
                    continue
                }
                let residual = g.node("Add", [mixed, operands[0]], name: stepPrefix + ".residual")
                local.append(norm.lowerONNX(g, residual, prefix: stepPrefix + ".norm"))
            }
            let out: String
            if let output = cell.output {
                out = output.lowerONNX(g, steps: Array(local[2...]), first: local[0], prefix: cellPrefix + ".output")
            } else if let projection = cell.projection {
                let joined = g.node("Concat", Array(local[2...]), name: cellPrefix + ".concat", attributes: [ONNXAttribute("axis", .int(1))])
                out = projection.lowerONNX(g, joined, prefix: cellPrefix + ".projection")
            } else {
                out = local[local.count - 1]
            }
            nodes.append(out)
            outputs.append(out)
        }
        return outputs.count == 1
            ? outputs[0] : g.node("Concat", outputs, name: prefix + ".concat", attributes: [ONNXAttribute("axis", .int(1))])
    }
}

extension ZeroPrimitive: ONNXLowerablePrimitive {
    /// Zeros of the first input's shape (ConstantOfShape of its Shape).
    public func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> String {
        g.node("ConstantOfShape", [g.node("Shape", [inputs[0]], name: prefix + ".shape")], name: prefix)
    }
}

extension SumPrimitive: ONNXLowerablePrimitive {
    public func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> String {
        var total = inputs[0]
        for (k, x) in inputs.dropFirst().enumerated() { total = g.node("Add", [total, x], name: "\(prefix).add\(k)") }
        return total
    }
}

extension ScaleDotAttention: ONNXLowerablePrimitive {
    /// softmax(xᵀ y * scale) over y's positions, y attentionᵀ, LayerNormalization.
    public func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> String {
        let transpose = [ONNXAttribute("perm", .ints([0, 2, 1]))]
        let xT = g.node("Transpose", [inputs[0]], name: prefix + ".xT", attributes: transpose)
        let scores = g.node(
            "Mul", [g.node("MatMul", [xT, inputs[1]], name: prefix + ".scores"), g.scalar(prefix + ".scale", scale)],
            name: prefix + ".scaled")
        let attention = g.node("Softmax", [scores], name: prefix + ".softmax", attributes: [ONNXAttribute("axis", .int(-1))])
        let attentionT = g.node("Transpose", [attention], name: prefix + ".attentionT", attributes: transpose)
        let attended = g.node("MatMul", [inputs[1], attentionT], name: prefix + ".attended")
        return norm.lowerONNX(g, dropout.lowerONNX(g, attended, prefix: prefix + ".dropout"), prefix: prefix + ".norm")
    }
}

extension LinearGLU: ONNXLowerablePrimitive {
    /// Concat, 1x1 Conv, BatchNormalization, then GLU over channels: first half * Sigmoid(second half).
    public func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> String {
        let joined = g.node("Concat", inputs, name: prefix + ".concat", attributes: [ONNXAttribute("axis", .int(1))])
        let y = norm.lowerONNX(g, conv.lowerONNX(g, joined, prefix: prefix + ".conv"), prefix: prefix + ".norm")
        let half = conv.weight.shape[0] / 2
        let parts = g.node(
            "Split", [y, g.ints(prefix + ".glu.split", [half, half])], outputs: 2, name: prefix + ".glu.halves",
            attributes: [ONNXAttribute("axis", .int(1))])
        let gated = g.node("Mul", [parts[0], g.node("Sigmoid", [parts[1]], name: prefix + ".glu.gate")], name: prefix + ".glu")
        return dropout.lowerONNX(g, gated, prefix: prefix + ".dropout")
    }
}

extension ConcatFC: ONNXLowerablePrimitive {
    /// Concat, 1x1 Conv, BatchNormalization (+ Relu), the activation (Mish for cat_conv_mish).
    public func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> String {
        let joined = g.node("Concat", inputs, name: prefix + ".concat", attributes: [ONNXAttribute("axis", .int(1))])
        let y = norm.lowerONNX(g, conv.lowerONNX(g, joined, prefix: prefix + ".conv"), prefix: prefix + ".norm")
        return dropout.lowerONNX(g, activation.lowerONNX(g, y, prefix: prefix + ".activation"), prefix: prefix + ".dropout")
    }
}

extension LowRankTensorFusion: ONNXLowerablePrimitive {
    /// Each input through its 1x1 Conv to R groups of C channels, reshaped to (batch, R, C, L),
    /// multiplied across inputs, summed over R, then BatchNormalization.
    public func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> String {
        guard inputs.count == projections.count else {
            throw ONNXExportError("low_rank_tensor: \(inputs.count) inputs given, configured for \(projections.count)")
        }
        var product: String?
        for (k, (x, projection)) in zip(inputs, projections).enumerated() {
            let p = projection.lowerONNX(g, x, prefix: "\(prefix).projections.\(k)")
            let grouped = g.reshape(p, [0, rank, channels, -1], name: "\(prefix).projections.\(k).groups")
            product = product.map { g.node("Mul", [$0, grouped], name: "\(prefix).product\(k)") } ?? grouped
        }
        let fused = g.node(
            "ReduceSum", [product!, g.ints(prefix + ".rank.axes", [1])], name: prefix + ".sum",
            attributes: [ONNXAttribute("keepdims", .int(0))])
        return dropout.lowerONNX(g, norm.lowerONNX(g, fused, prefix: prefix + ".norm"), prefix: prefix + ".dropout")
    }
}
