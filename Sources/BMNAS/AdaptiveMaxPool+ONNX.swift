import ONNXWriter

extension ONNXGraphBuilder {
    /// PyTorch's (and ``adaptiveMaxPool2d(_:outputSize:)``'s) adaptive max pooling of the (N, C, H, W)
    /// value `x` to `outputSize`, exactly, in opset-17 operators.
    ///
    /// Adaptive windows overlap and vary in size when the extent does not divide (window i spans
    /// ⌊i·H/h⌋ ..< ⌈(i+1)·H/h⌉), which no single MaxPool can express. A rectangular window's maximum
    /// is the maximum over its columns of the maximum over its rows, so the rows are pooled first
    /// (one Slice + ReduceMax per output row, concatenated) and then the columns: h + w slices
    /// instead of h · w. An axis whose extent already equals its output size is left as it is.
    func adaptiveMaxPool2d(_ x: String, inputSize: (Int, Int), outputSize: (Int, Int), name: String) -> String {
        let pooledRows = adaptiveMaxPool(x, axis: 2, extent: inputSize.0, outputs: outputSize.0, name: name + ".rows")
        return adaptiveMaxPool(pooledRows, axis: 3, extent: inputSize.1, outputs: outputSize.1, name: name + ".columns")
    }

    /// Adaptive max pooling along one axis: window i is Slice(⌊i·extent/outputs⌋ ..< ⌈(i+1)·extent/outputs⌉)
    /// reduced by ReduceMax (keepdims), the windows concatenated along the axis.
    func adaptiveMaxPool(_ x: String, axis: Int, extent: Int, outputs: Int, name: String) -> String {
        guard extent != outputs else { return x }
        let axes = ints(name + ".axes", [axis])
        let windows = (0..<outputs).map { i in
            let start = i * extent / outputs
            let end = ((i + 1) * extent + outputs - 1) / outputs
            let window = node(
                "Slice", [x, ints("\(name).\(i).start", [start]), ints("\(name).\(i).end", [end]), axes], name: "\(name).\(i).window")
            // Opset 17's ReduceMax takes its axes as an attribute (an input only from opset 18).
            return node(
                "ReduceMax", [window], name: "\(name).\(i)",
                attributes: [ONNXAttribute("axes", .ints([axis])), ONNXAttribute("keepdims", .int(1))])
        }
        return windows.count == 1
            ? windows[0] : node("Concat", windows, name: name, attributes: [ONNXAttribute("axis", .int(axis))])
    }
}
