import FusionNAS
import Layers
import ONNXWriter

// ONNX lowering of the `bmnas` space's found network (BM-NAS's reference cells), in inference form
// as the `fusionnas` network's (BMNAS+ONNX.swift): dropout removed, BatchNorm with its running
// statistics, every op exact in opset 17. The input reshapers' adaptive max pooling is
// `ONNXGraphBuilder.adaptiveMaxPool2d`, the step primitives lower as in the `fusionnas` network.

extension ReferenceCellOutput {
    /// The steps concatenated on the channels and, when there is more than one, 1x1 Conv,
    /// BatchNormalization and Relu (dropout is the identity at inference); then Add of the cell's
    /// first input and LayerNormalization over [C, L].
    func lowerONNX(_ g: ONNXGraphBuilder, steps: [String], first: String, prefix: String) -> String {
        var out = steps.count == 1
            ? steps[0] : g.node("Concat", steps, name: prefix + ".concat", attributes: [ONNXAttribute("axis", .int(1))])
        if let projection, let projectionNorm {
            out = projectionNorm.lowerONNX(
                g, projection.lowerONNX(g, out, prefix: prefix + ".projection"), prefix: prefix + ".projectionNorm")
            if let dropout { out = dropout.lowerONNX(g, out, prefix: prefix + ".dropout") }
        }
        return norm.lowerONNX(g, g.node("Add", [out, first], name: prefix + ".residual"), prefix: prefix + ".norm")
    }
}

extension BMNASReferenceNetwork: ONNXLowerableBody {
    /// The input nodes some cell reads through their reshapers; each cell's two inputs (its
    /// identity edges), each step's primitive on two of the cell's inputs and earlier steps, then
    /// the cell's output (``ReferenceCellOutput``); the cells' outputs concatenated on the channels.
    public func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> String {
        guard inputs.count == reshapers.count else {
            throw ONNXExportError("BMNASReferenceNetwork: \(inputs.count) input nodes given, configured for \(reshapers.count)")
        }
        var nodes = zip(reshapers, inputs).enumerated().map { i, pair in
            pair.0.map { $0.lowerONNX(g, pair.1, prefix: "\(prefix).reshapers.\(i)") } ?? pair.1
        }
        var outputs: [String] = []
        for (c, (cell, cellGenotype)) in zip(cells, genotype.cells).enumerated() {
            let cellPrefix = "\(prefix).cells.\(c)"
            var states = cell.inputs.map { nodes[$0] }
            for (s, (primitive, operands)) in zip(cell.primitives, cell.stepInputs).enumerated() {
                guard let lowerable = primitive as? ONNXLowerablePrimitive else {
                    throw ONNXExportError(
                        "primitive '\(cellGenotype.steps[s].primitive)' (cell \(c), step \(s)) has no ONNX lowering, so this network cannot be exported to ONNX; only the built-in primitives can")
                }
                states.append(try lowerable.lowerONNX(g, inputs: operands.map { states[$0] }, prefix: "\(cellPrefix).primitives.\(s)"))
            }
            let out = cell.output.lowerONNX(g, steps: Array(states[2...]), first: states[0], prefix: cellPrefix + ".output")
            nodes.append(out)
            outputs.append(out)
        }
        return outputs.count == 1
            ? outputs[0] : g.node("Concat", outputs, name: prefix + ".concat", attributes: [ONNXAttribute("axis", .int(1))])
    }
}
