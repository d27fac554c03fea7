import Foundation
import ONNXWriter

/// A deliberately plain ONNX evaluator for the tests: runs an ``ONNXGraph`` as written (before
/// protobuf encoding) in Double precision, one loop per op, sharing no code with the Tensors
/// library, so a lowering and the network's own forward pass are checked against an independent
/// reading of the ONNX operator specifications (opset 17). It covers the ops the fusion bodies
/// lower to; any other op fails the test by name.
struct ONNXReferenceEvaluator {
    struct Value {
        var shape: [Int]
        var data: [Double]
        var count: Int { data.count }
    }

    struct UnsupportedOp: Error, CustomStringConvertible {
        let description: String
    }

    let graph: ONNXGraph

    /// The graph's outputs for `feeds` (graph input name -> value).
    func run(_ feeds: [String: Value]) throws -> [String: Value] {
        var values = feeds
        for tensor in graph.initializers { values[tensor.name] = Self.decode(tensor) }
        for node in graph.nodes {
            let inputs = try node.inputs.map { name -> Value in
                guard let value = values[name] else { throw UnsupportedOp(description: "\(node.name): input \(name) is not computed yet") }
                return value
            }
            let outputs = try evaluate(node, inputs)
            for (name, value) in zip(node.outputs, outputs) { values[name] = value }
        }
        return Dictionary(uniqueKeysWithValues: graph.outputs.map { ($0.name, values[$0.name]!) })
    }

    static func decode(_ tensor: ONNXTensor) -> Value {
        let bytes = tensor.rawData
        switch tensor.dataType {
        case .float:
            let data = stride(from: 0, to: bytes.count, by: 4).map { i -> Double in
                let bits = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[i + $1]) << (8 * UInt32($1)) }
                return Double(Float(bitPattern: bits))
            }
            return Value(shape: tensor.dims, data: data)
        case .int64:
            let data = stride(from: 0, to: bytes.count, by: 8).map { i -> Double in
                let bits = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[i + $1]) << (8 * UInt64($1)) }
                return Double(Int64(bitPattern: bits))
            }
            return Value(shape: tensor.dims, data: data)
        }
    }

    func attribute(_ node: ONNXNode, _ name: String) -> ONNXAttributeValue? {
        node.attributes.first { $0.name == name }?.value
    }

    func int(_ node: ONNXNode, _ name: String, default value: Int) -> Int {
        if case .int(let v) = attribute(node, name) { return v }
        return value
    }

    func ints(_ node: ONNXNode, _ name: String) -> [Int]? {
        if case .ints(let v) = attribute(node, name) { return v }
        return nil
    }

    func float(_ node: ONNXNode, _ name: String, default value: Double) -> Double {
        if case .float(let v) = attribute(node, name) { return Double(v) }
        return value
    }

    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for i in stride(from: shape.count - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * shape[i + 1] }
        return strides
    }

    static func normalized(_ axis: Int, rank: Int) -> Int { axis < 0 ? axis + rank : axis }

    /// Numpy broadcasting of `values` to their common shape; `combine` gets one element of each.
    static func broadcast(_ values: [Value], _ combine: ([Double]) -> Double) -> Value {
        let rank = values.map(\.shape.count).max()!
        let shapes = values.map { [Int](repeating: 1, count: rank - $0.shape.count) + $0.shape }
        let shape = (0..<rank).map { axis in shapes.map { $0[axis] }.max()! }
        let outStrides = strides(shape)
        let inStrides = shapes.map { s in zip(strides(s), s).map { $1 == 1 ? 0 : $0 } }
        let count = shape.reduce(1, *)
        var out = [Double](repeating: 0, count: count)
        for index in 0..<count {
            var offsets = [Int](repeating: 0, count: values.count)
            var rest = index
            for axis in 0..<rank {
                let coordinate = rest / outStrides[axis]
                rest %= outStrides[axis]
                for k in values.indices { offsets[k] += coordinate * inStrides[k][axis] }
            }
            out[index] = combine(values.indices.map { values[$0].data[offsets[$0]] })
        }
        return Value(shape: shape, data: out)
    }

    /// (outer, axis extent, inner) around `axis`, for reductions and concatenations along it.
    static func split(_ shape: [Int], at axis: Int) -> (Int, Int, Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    func evaluate(_ node: ONNXNode, _ x: [Value]) throws -> [Value] {
        switch node.opType {
        case "Identity": return [x[0]]
        case "Relu": return [Value(shape: x[0].shape, data: x[0].data.map { max($0, 0) })]
        case "Sigmoid": return [Value(shape: x[0].shape, data: x[0].data.map { 1 / (1 + exp(-$0)) })]
        case "Tanh": return [Value(shape: x[0].shape, data: x[0].data.map { tanh($0) })]
        case "Softplus": return [Value(shape: x[0].shape, data: x[0].data.map { log(1 + exp($0)) })]
        case "Add": return [Self.broadcast(x) { $0[0] + $0[1] }]
        case "Mul": return [Self.broadcast(x) { $0[0] * $0[1] }]
        case "Expand":
            let target = Value(shape: x[1].data.map { Int($0) }, data: [Double](repeating: 0, count: x[1].data.map { Int($0) }.reduce(1, *)))
            return [Self.broadcast([x[0], target]) { $0[0] }]
        case "Reshape":
            var shape = x[1].data.map { Int($0) }
            for i in shape.indices where shape[i] == 0 { shape[i] = x[0].shape[i] }
            if let unknown = shape.firstIndex(of: -1) {
                shape[unknown] = x[0].count / shape.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
            }
            precondition(shape.reduce(1, *) == x[0].count, "\(node.name): cannot reshape \(x[0].shape) to \(shape)")
            return [Value(shape: shape, data: x[0].data)]
        case "Unsqueeze":
            var shape = x[0].shape
            for axis in x[1].data.map({ Int($0) }).sorted() { shape.insert(1, at: Self.normalized(axis, rank: shape.count + 1)) }
            return [Value(shape: shape, data: x[0].data)]
        case "Flatten":
            let axis = Self.normalized(int(node, "axis", default: 1), rank: x[0].shape.count)
            let outer = x[0].shape[..<axis].reduce(1, *)
            return [Value(shape: [outer, x[0].count / outer], data: x[0].data)]
        case "Transpose":
            let perm = ints(node, "perm") ?? Array(x[0].shape.indices.reversed())
            let shape = perm.map { x[0].shape[$0] }
            let inStrides = Self.strides(x[0].shape), outStrides = Self.strides(shape)
            var out = [Double](repeating: 0, count: x[0].count)
            for index in out.indices {
                var rest = index, offset = 0
                for axis in shape.indices {
                    offset += rest / outStrides[axis] * inStrides[perm[axis]]
                    rest %= outStrides[axis]
                }
                out[index] = x[0].data[offset]
            }
            return [Value(shape: shape, data: out)]
        case "Concat":
            let axis = Self.normalized(int(node, "axis", default: 0), rank: x[0].shape.count)
            var shape = x[0].shape
            shape[axis] = x.map { $0.shape[axis] }.reduce(0, +)
            let outer = shape[..<axis].reduce(1, *)
            var out: [Double] = []
            out.reserveCapacity(shape.reduce(1, *))
            for o in 0..<outer {
                for part in x {
                    let block = part.count / outer
                    out += part.data[(o * block)..<((o + 1) * block)]
                }
            }
            return [Value(shape: shape, data: out)]
        case "Split":
            let axis = Self.normalized(int(node, "axis", default: 0), rank: x[0].shape.count)
            let sizes = x[1].data.map { Int($0) }
            let (outer, extent, inner) = Self.split(x[0].shape, at: axis)
            precondition(sizes.reduce(0, +) == extent, "\(node.name): split \(sizes) of \(extent)")
            var start = 0
            return sizes.map { size in
                var shape = x[0].shape
                shape[axis] = size
                var out: [Double] = []
                for o in 0..<outer {
                    let base = (o * extent + start) * inner
                    out += x[0].data[base..<(base + size * inner)]
                }
                start += size
                return Value(shape: shape, data: out)
            }
        case "Slice":
            let starts = x[1].data.map { Int($0) }, ends = x[2].data.map { Int($0) }
            let axes = x.count > 3 ? x[3].data.map { Int($0) } : Array(starts.indices)
            var result = x[0]
            for (k, axis) in axes.enumerated() {
                let a = Self.normalized(axis, rank: result.shape.count)
                let (outer, extent, inner) = Self.split(result.shape, at: a)
                let start = min(max(starts[k] < 0 ? starts[k] + extent : starts[k], 0), extent)
                let end = min(max(ends[k] < 0 ? ends[k] + extent : ends[k], start), extent)
                var out: [Double] = []
                for o in 0..<outer { out += result.data[((o * extent + start) * inner)..<((o * extent + end) * inner)] }
                result.shape[a] = end - start
                result.data = out
            }
            return [result]
        case "ReduceMax":
            var result = x[0]
            let keep = int(node, "keepdims", default: 1) == 1
            let axes = (ints(node, "axes") ?? Array(result.shape.indices)).map { Self.normalized($0, rank: x[0].shape.count) }
            for axis in axes.sorted(by: >) {
                let (outer, extent, inner) = Self.split(result.shape, at: axis)
                var out = [Double](repeating: -.infinity, count: outer * inner)
                for o in 0..<outer { for e in 0..<extent { for i in 0..<inner {
                    out[o * inner + i] = max(out[o * inner + i], result.data[(o * extent + e) * inner + i])
                } } }
                if keep { result.shape[axis] = 1 } else { result.shape.remove(at: axis) }
                result.data = out
            }
            return [result]
        case "Softmax":
            let axis = Self.normalized(int(node, "axis", default: -1), rank: x[0].shape.count)
            let (outer, extent, inner) = Self.split(x[0].shape, at: axis)
            var out = x[0].data
            for o in 0..<outer { for i in 0..<inner {
                let at = (0..<extent).map { (o * extent + $0) * inner + i }
                let top = at.map { out[$0] }.max()!
                let total = at.reduce(0.0) { $0 + exp(out[$1] - top) }
                for j in at { out[j] = exp(out[j] - top) / total }
            } }
            return [Value(shape: x[0].shape, data: out)]
        case "MatMul":
            let a = x[0], b = x[1]
            let (m, k) = (a.shape[a.shape.count - 2], a.shape[a.shape.count - 1])
            let n = b.shape[b.shape.count - 1]
            precondition(b.shape[b.shape.count - 2] == k, "\(node.name): MatMul \(a.shape) x \(b.shape)")
            let batch = a.count / (m * k)
            let bBatch = b.count / (k * n)
            precondition(bBatch == 1 || bBatch == batch, "\(node.name): MatMul batch \(a.shape) x \(b.shape)")
            var out = [Double](repeating: 0, count: batch * m * n)
            for t in 0..<batch {
                let ab = t * m * k, bb = (bBatch == 1 ? 0 : t) * k * n
                for i in 0..<m { for j in 0..<n {
                    var sum = 0.0
                    for p in 0..<k { sum += a.data[ab + i * k + p] * b.data[bb + p * n + j] }
                    out[t * m * n + i * n + j] = sum
                } }
            }
            return [Value(shape: Array(a.shape.dropLast(2)) + [m, n], data: out)]
        case "Gemm":
            precondition(int(node, "transB", default: 0) == 1 && int(node, "transA", default: 0) == 0, "\(node.name): only x Wᵀ + b")
            let (rows, inner) = (x[0].shape[0], x[0].shape[1]), outs = x[1].shape[0]
            var out = [Double](repeating: 0, count: rows * outs)
            for r in 0..<rows { for o in 0..<outs {
                var sum = x.count > 2 ? x[2].data[o] : 0
                for p in 0..<inner { sum += x[0].data[r * inner + p] * x[1].data[o * inner + p] }
                out[r * outs + o] = sum
            } }
            return [Value(shape: [rows, outs], data: out)]
        case "Conv":
            // 1-D convolution (batch, C_in, L) with weight (C_out, C_in, K), stride and symmetric padding.
            let w = x[1]
            precondition(x[0].shape.count == 3 && w.shape.count == 3, "\(node.name): only 1-D Conv")
            let (batch, cin, length) = (x[0].shape[0], x[0].shape[1], x[0].shape[2])
            let (cout, kernel) = (w.shape[0], w.shape[2])
            let stride = ints(node, "strides")?.first ?? 1, pad = ints(node, "pads")?.first ?? 0
            let outLength = (length + 2 * pad - kernel) / stride + 1
            var out = [Double](repeating: 0, count: batch * cout * outLength)
            for b in 0..<batch { for o in 0..<cout { for l in 0..<outLength {
                var sum = x.count > 2 ? x[2].data[o] : 0
                for c in 0..<cin { for q in 0..<kernel {
                    let at = l * stride - pad + q
                    if at >= 0 && at < length { sum += w.data[(o * cin + c) * kernel + q] * x[0].data[(b * cin + c) * length + at] }
                } }
                out[(b * cout + o) * outLength + l] = sum
            } } }
            return [Value(shape: [batch, cout, outLength], data: out)]
        case "BatchNormalization":
            let epsilon = float(node, "epsilon", default: 1e-5)
            let (outer, channels, inner) = Self.split(x[0].shape, at: 1)
            var out = x[0].data
            for o in 0..<outer { for c in 0..<channels { for i in 0..<inner {
                let at = (o * channels + c) * inner + i
                out[at] = (out[at] - x[3].data[c]) / (x[4].data[c] + epsilon).squareRoot() * x[1].data[c] + x[2].data[c]
            } } }
            return [Value(shape: x[0].shape, data: out)]
        case "LayerNormalization":
            let axis = Self.normalized(int(node, "axis", default: -1), rank: x[0].shape.count)
            let epsilon = float(node, "epsilon", default: 1e-5)
            let inner = x[0].shape[axis...].reduce(1, *)
            var out = x[0].data
            for o in 0..<(x[0].count / inner) {
                let part = out[(o * inner)..<((o + 1) * inner)]
                let mean = part.reduce(0, +) / Double(inner)
                let variance = part.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(inner)
                for i in 0..<inner {
                    let at = o * inner + i
                    out[at] = (out[at] - mean) / (variance + epsilon).squareRoot() * x[1].data[i] + x[2].data[i]
                }
            }
            return [Value(shape: x[0].shape, data: out)]
        default:
            throw UnsupportedOp(description: "\(node.name): op \(node.opType) is not covered by the test evaluator")
        }
    }
}
