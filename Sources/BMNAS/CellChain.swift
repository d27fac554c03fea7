import FusionNAS
import Tensors

/// What both BM-NAS spaces' networks share around their cells: the input nodes reshaped, the cells
/// run in order (each sees the input nodes and every earlier cell, and its output becomes the next
/// node), the cells' outputs concatenated on the channels for the head.
enum CellChain {
    /// Reshapes the input nodes; an input without a reshaper (one no cell reads) is kept as it is, a
    /// placeholder that keeps node numbering intact.
    static func reshaped(_ inputs: [Tensor], by reshapers: [InputReshaper?], network: String, names: [String]) -> [Tensor] {
        precondition(
            inputs.count == reshapers.count,
            "\(network): \(inputs.count) input nodes given, configured for \(reshapers.count) (\(names.joined(separator: ", ")))")
        return zip(reshapers, inputs).map { reshaper, x in reshaper.map { $0(x) } ?? x }
    }

    /// Runs `count` cells, `cell(k, nodes)` giving cell k's output, and concatenates their outputs.
    static func run(_ nodes: [Tensor], cells count: Int, _ cell: (Int, [Tensor]) -> Tensor) -> Tensor {
        var nodes = nodes
        var outputs: [Tensor] = []
        for k in 0..<count {
            let out = cell(k, nodes)
            nodes.append(out)
            outputs.append(out)
        }
        return outputs.count == 1 ? outputs[0] : Tensor.concat(outputs, axis: 1)
    }

    /// A mixture of zero primitives alone has no output shape, and no primitive to derive.
    static func requireNonZero(_ primitives: [any FusionPrimitive]?, configuration: SearchSpaceConfiguration, space: String) throws {
        if primitives?.allSatisfy(\.isZero) == true {
            throw ComponentError(
                "\(space): every primitive in [\(configuration.primitives.joined(separator: ", "))] is a zero primitive; add at least one other, e.g. sum")
        }
    }
}
