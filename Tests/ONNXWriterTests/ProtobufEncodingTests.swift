import ONNXWriter
import Testing

/// The encoder's bytes against hand-encoded protobuf; the node, tensor, value info and model bytes
/// are what the `onnx` Python package's classes serialize for the same messages
/// (`onnx.helper.make_node("Softmax", ["x"], ["y"], name="n", axis=-1).SerializeToString()`, ...).
@Suite struct ProtobufEncodingTests {
    @Test func varintsUseSevenBitGroupsLeastSignificantFirst() {
        var w = ProtobufWriter()
        w.writeVarint(1)
        w.writeVarint(300)
        w.writeVarint(UInt64(bitPattern: -1))
        #expect(w.bytes == [0x01, 0xAC, 0x02] + Array(repeating: 0xFF, count: 9) + [0x01])
    }

    @Test func keysCombineFieldNumberAndWireType() {
        var w = ProtobufWriter()
        w.writeInt(1, 8)  // ir_version 8: key 0x08
        w.writeInt(20, 2)  // field 20 needs a two-byte key
        w.writeFloat(2, 1)  // fixed32, little-endian
        #expect(w.bytes == [0x08, 0x08, 0xA0, 0x01, 0x02, 0x15, 0x00, 0x00, 0x80, 0x3F])
    }

    @Test func nodeWithAnIntAttribute() {
        let node = ONNXNode(
            opType: "Softmax", inputs: ["x"], outputs: ["y"], name: "n", attributes: [ONNXAttribute("axis", .int(-1))])
        var w = ProtobufWriter()
        node.encode(into: &w)
        let attribute: [UInt8] = [0x0A, 0x04] + Array("axis".utf8) + [0x18] + Array(repeating: 0xFF, count: 9) + [0x01, 0xA0, 0x01, 0x02]
        let expected: [UInt8] = [0x0A, 0x01, 0x78, 0x12, 0x01, 0x79, 0x1A, 0x01, 0x6E, 0x22, 0x07] + Array("Softmax".utf8)
            + [0x2A, UInt8(attribute.count)] + attribute
        #expect(w.bytes == expected)
    }

    @Test func floatTensorIsRawLittleEndianData() {
        var w = ProtobufWriter()
        ONNXTensor(name: "w", dims: [2], floats: [1, -2]).encode(into: &w)
        #expect(w.bytes == [0x08, 0x02, 0x10, 0x01, 0x42, 0x01, 0x77, 0x4A, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])
    }

    @Test func valueInfoWithDynamicBatch() {
        var w = ProtobufWriter()
        ONNXValueInfo(name: "x", shape: [.symbolic("b"), .fixed(3)]).encode(into: &w)
        // name, type { tensor_type { elem_type 1, shape { dim { dim_param "b" } dim { dim_value 3 } } } }
        let shape: [UInt8] = [0x0A, 0x03, 0x12, 0x01, 0x62, 0x0A, 0x02, 0x08, 0x03]
        let tensorType: [UInt8] = [0x08, 0x01, 0x12, UInt8(shape.count)] + shape
        let type: [UInt8] = [0x0A, UInt8(tensorType.count)] + tensorType
        #expect(w.bytes == [0x0A, 0x01, 0x78, 0x12, UInt8(type.count)] + type)
    }

    @Test func modelCarriesOpsetAndMetadata() {
        let model = ONNXModel(graph: ONNXGraph(name: "g"), producerName: "p", producerVersion: "1", metadata: [("k", "v")])
        let expected: [UInt8] = [0x08, 0x08, 0x12, 0x01, 0x70, 0x1A, 0x01, 0x31, 0x3A, 0x03, 0x12, 0x01, 0x67,
            0x42, 0x04, 0x0A, 0x00, 0x10, 0x11, 0x72, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x76]
        #expect(model.serialized() == expected)
    }

    @Test func builderNamesValuesUniquely() {
        let g = ONNXGraphBuilder(name: "g")
        let x = g.input("x", shape: [.symbolic("batch"), .fixed(2)])
        let a = g.node("Relu", [x], name: "act")
        let b = g.node("Relu", [a], name: "act")
        g.output(b, as: "y", shape: [.symbolic("batch"), .fixed(2)])
        #expect(a == "act" && b == "act_2")
        #expect(g.graph.nodes.map(\.opType) == ["Relu", "Relu", "Identity"])
        #expect(g.graph.outputs.map(\.name) == ["y"])
    }
}
