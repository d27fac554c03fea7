/// Builds an ``ONNXGraph`` node by node, naming every value uniquely.
///
/// ```swift
/// let g = ONNXGraphBuilder(name: "model")
/// let x = g.input("x", shape: [.symbolic("batch"), .fixed(4)])
/// let w = g.constant("fc.weight", dims: [2, 4], floats: weights)
/// let y = g.node("Gemm", [x, w], attributes: [ONNXAttribute("transB", .int(1))])
/// g.output(y, as: "logits", shape: [.symbolic("batch"), .fixed(2)])
/// ```
public final class ONNXGraphBuilder {
    public private(set) var graph: ONNXGraph
    private var used: Set<String> = []
    private var counter = 0

    public init(name: String) { graph = ONNXGraph(name: name) }

    /// `base`, or `base_2`, `base_3`, ... when it is taken.
    public func uniqueName(_ base: String) -> String {
        var name = base
        var k = 2
        while used.contains(name) {
            name = "\(base)_\(k)"
            k += 1
        }
        used.insert(name)
        return name
    }

    /// Declares a graph input.
    @discardableResult
    public func input(_ name: String, elementType: ONNXDataType = .float, shape: [ONNXDimension]) -> String {
        let unique = uniqueName(name)
        precondition(unique == name, "ONNXGraphBuilder: input name \(name) is already used")
        graph.inputs.append(ONNXValueInfo(name: name, elementType: elementType, shape: shape))
        return name
    }

    /// A float initializer; returns its (unique) name.
    public func constant(_ name: String, dims: [Int], floats: [Float]) -> String {
        let unique = uniqueName(name)
        graph.initializers.append(ONNXTensor(name: unique, dims: dims, floats: floats))
        return unique
    }

    /// An int64 initializer (shapes, axes, split sizes); returns its (unique) name.
    public func constant(_ name: String, dims: [Int], int64s: [Int64]) -> String {
        let unique = uniqueName(name)
        graph.initializers.append(ONNXTensor(name: unique, dims: dims, int64s: int64s))
        return unique
    }

    /// A 1-D int64 initializer.
    public func ints(_ name: String, _ values: [Int]) -> String {
        constant(name, dims: [values.count], int64s: values.map(Int64.init))
    }

    /// Adds a node with `outputs` results (named after `name` or the op) and returns their names.
    @discardableResult
    public func node(
        _ opType: String, _ inputs: [String], outputs: Int, name: String? = nil, attributes: [ONNXAttribute] = []
    ) -> [String] {
        counter += 1
        let base = name ?? "\(opType.lowercased())_\(counter)"
        let nodeName = uniqueName("node:" + base)
        let results = (0..<outputs).map { k in uniqueName(outputs == 1 ? base : "\(base).\(k)") }
        graph.nodes.append(ONNXNode(opType: opType, inputs: inputs, outputs: results, name: nodeName, attributes: attributes))
        return results
    }

    /// Adds a single-output node and returns its output's name.
    public func node(_ opType: String, _ inputs: [String], name: String? = nil, attributes: [ONNXAttribute] = []) -> String {
        node(opType, inputs, outputs: 1, name: name, attributes: attributes)[0]
    }

    /// Declares `value` a graph output named `name` (through an Identity when the names differ).
    public func output(_ value: String, as name: String, elementType: ONNXDataType = .float, shape: [ONNXDimension]) {
        var result = value
        if value != name {
            let unique = uniqueName(name)
            precondition(unique == name, "ONNXGraphBuilder: output name \(name) is already used")
            graph.nodes.append(ONNXNode(opType: "Identity", inputs: [value], outputs: [name], name: uniqueName("node:" + name)))
            result = name
        }
        graph.outputs.append(ONNXValueInfo(name: result, elementType: elementType, shape: shape))
    }
}
