/// The parts of ONNX's `onnx.proto` this project writes, with the field numbers of that file
/// (IR version 8, the one that goes with opset 17).

/// `TensorProto.DataType`.
public enum ONNXDataType: Int64, Sendable {
    case float = 1
    case int64 = 7
}

/// `TensorProto`: a named constant (an initializer or an attribute value), stored as `raw_data`
/// (little-endian, as ONNX requires).
public struct ONNXTensor: Sendable, Equatable {
    public var name: String
    public var dims: [Int]
    public var dataType: ONNXDataType
    public var rawData: [UInt8]

    public init(name: String, dims: [Int], floats: [Float]) {
        precondition(dims.reduce(1, *) == floats.count, "ONNXTensor \(name): \(floats.count) values for dims \(dims)")
        self.name = name
        self.dims = dims
        dataType = .float
        var raw: [UInt8] = []
        raw.reserveCapacity(floats.count * 4)
        for f in floats {
            let b = f.bitPattern
            raw += [UInt8(truncatingIfNeeded: b), UInt8(truncatingIfNeeded: b >> 8), UInt8(truncatingIfNeeded: b >> 16), UInt8(truncatingIfNeeded: b >> 24)]
        }
        rawData = raw
    }

    public init(name: String, dims: [Int], int64s: [Int64]) {
        precondition(dims.reduce(1, *) == int64s.count, "ONNXTensor \(name): \(int64s.count) values for dims \(dims)")
        self.name = name
        self.dims = dims
        dataType = .int64
        var raw: [UInt8] = []
        for v in int64s {
            let b = UInt64(bitPattern: v)
            for shift in stride(from: 0, to: 64, by: 8) { raw.append(UInt8(truncatingIfNeeded: b >> UInt64(shift))) }
        }
        rawData = raw
    }

    public func encode(into w: inout ProtobufWriter) {
        w.writeRepeatedInts(1, dims.map(Int64.init))  // dims
        w.writeInt(2, dataType.rawValue)  // data_type
        w.writeString(8, name)  // name
        w.writeBytes(9, rawData)  // raw_data
    }
}

/// `AttributeProto`'s values used here.
public enum ONNXAttributeValue: Sendable, Equatable {
    case float(Float)
    case int(Int)
    case string(String)
    case tensor(ONNXTensor)
    case floats([Float])
    case ints([Int])
}

/// `AttributeProto`.
public struct ONNXAttribute: Sendable, Equatable {
    public var name: String
    public var value: ONNXAttributeValue

    public init(_ name: String, _ value: ONNXAttributeValue) {
        self.name = name
        self.value = value
    }

    public func encode(into w: inout ProtobufWriter) {
        w.writeString(1, name)
        switch value {
        case .float(let f):
            w.writeFloat(2, f)
            w.writeInt(20, 1)
        case .int(let i):
            w.writeInt(3, Int64(i))
            w.writeInt(20, 2)
        case .string(let s):
            w.writeString(4, s)
            w.writeInt(20, 3)
        case .tensor(let t):
            w.writeMessage(5) { t.encode(into: &$0) }
            w.writeInt(20, 4)
        case .floats(let fs):
            w.writeRepeatedFloats(7, fs)
            w.writeInt(20, 6)
        case .ints(let xs):
            w.writeRepeatedInts(8, xs.map(Int64.init))
            w.writeInt(20, 7)
        }
    }
}

/// `NodeProto`.
public struct ONNXNode: Sendable, Equatable {
    public var opType: String
    public var inputs: [String]
    public var outputs: [String]
    public var name: String
    public var attributes: [ONNXAttribute]

    public init(opType: String, inputs: [String], outputs: [String], name: String = "", attributes: [ONNXAttribute] = []) {
        self.opType = opType
        self.inputs = inputs
        self.outputs = outputs
        self.name = name
        self.attributes = attributes
    }

    public func encode(into w: inout ProtobufWriter) {
        for i in inputs { w.writeString(1, i) }
        for o in outputs { w.writeString(2, o) }
        if !name.isEmpty { w.writeString(3, name) }
        w.writeString(4, opType)
        for a in attributes { w.writeMessage(5) { a.encode(into: &$0) } }
    }
}

/// One dimension of a graph input or output: a fixed size or a named (dynamic) one.
public enum ONNXDimension: Sendable, Equatable {
    case fixed(Int)
    case symbolic(String)
}

/// `ValueInfoProto` of a tensor: name, element type and shape.
public struct ONNXValueInfo: Sendable, Equatable {
    public var name: String
    public var elementType: ONNXDataType
    public var shape: [ONNXDimension]

    public init(name: String, elementType: ONNXDataType = .float, shape: [ONNXDimension]) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
    }

    public func encode(into w: inout ProtobufWriter) {
        w.writeString(1, name)
        w.writeMessage(2) { type in  // TypeProto
            type.writeMessage(1) { tensor in  // TypeProto.Tensor
                tensor.writeInt(1, elementType.rawValue)  // elem_type
                tensor.writeMessage(2) { shape in  // TensorShapeProto
                    for d in self.shape {
                        shape.writeMessage(1) { dim in  // Dimension
                            switch d {
                            case .fixed(let n): dim.writeInt(1, Int64(n))
                            case .symbolic(let s): dim.writeString(2, s)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GraphProto`.
public struct ONNXGraph: Sendable, Equatable {
    public var name: String
    public var nodes: [ONNXNode] = []
    public var initializers: [ONNXTensor] = []
    public var inputs: [ONNXValueInfo] = []
    public var outputs: [ONNXValueInfo] = []

    public init(name: String) { self.name = name }

    public func encode(into w: inout ProtobufWriter) {
        for n in nodes { w.writeMessage(1) { n.encode(into: &$0) } }
        w.writeString(2, name)
        for t in initializers { w.writeMessage(5) { t.encode(into: &$0) } }
        for i in inputs { w.writeMessage(11) { i.encode(into: &$0) } }
        for o in outputs { w.writeMessage(12) { o.encode(into: &$0) } }
    }
}

/// `ModelProto`: the graph, the default-domain opset it uses, and string metadata.
public struct ONNXModel: Sendable, Equatable {
    /// IR version 8 (ONNX 1.10+), which opset 17 requires at least.
    public var irVersion: Int = 8
    public var opsetVersion: Int = 17
    public var producerName: String
    public var producerVersion: String
    public var graph: ONNXGraph
    /// `metadata_props`, in this order.
    public var metadata: [(key: String, value: String)]

    public init(graph: ONNXGraph, producerName: String, producerVersion: String, metadata: [(key: String, value: String)] = []) {
        self.graph = graph
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.metadata = metadata
    }

    public static func == (a: ONNXModel, b: ONNXModel) -> Bool { a.serialized() == b.serialized() }

    /// The protobuf bytes of the model (what a `.onnx` file holds).
    public func serialized() -> [UInt8] {
        var w = ProtobufWriter()
        w.writeInt(1, Int64(irVersion))  // ir_version
        w.writeString(2, producerName)  // producer_name
        w.writeString(3, producerVersion)  // producer_version
        w.writeMessage(7) { graph.encode(into: &$0) }  // graph
        w.writeMessage(8) { opset in  // opset_import: the default domain ""
            opset.writeString(1, "")
            opset.writeInt(2, Int64(opsetVersion))
        }
        for (key, value) in metadata {  // metadata_props
            w.writeMessage(14) { entry in
                entry.writeString(1, key)
                entry.writeString(2, value)
            }
        }
        return w.bytes
    }
}
