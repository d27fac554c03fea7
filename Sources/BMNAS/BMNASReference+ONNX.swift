import FusionNAS
import Layers
import ONNXWriter

extension BMNASReferenceNetwork: ONNXLowerableBody {
    /// Refuses by name: the `bmnas` network's adaptive max pooling (overlapping windows) and cell
    /// structure have no lowering yet, and an export whose outputs were never compared against
    /// the network's own would be worse than none.
    public func lowerONNX(_ g: ONNXGraphBuilder, inputs: [String], prefix: String) throws -> String {
        throw ONNXExportError(
            "the '\(BMNASReferenceSearchSpace.name)' search space's network (BM-NAS's reference cells) has no ONNX lowering yet; a network of the '\(FusionNASSearchSpace.name)' space can be exported, and the weights of this one are in the run's safetensors file")
    }
}
