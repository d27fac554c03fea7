import Layers
import Tensors

/// A pair of C kernels from a plugin, ready to call: the forward and backward functions of one primitive.
final class ForeignKernel: @unchecked Sendable {
    let name: String
    let version: String
    let summary: String
    let signature: KernelSignature
    let forward: ForeignFunction
    let backward: ForeignFunction

    init(
        name: String, version: String, summary: String, signature: KernelSignature, forward: ForeignFunction,
        backward: ForeignFunction
    ) {
        self.name = name
        self.version = version
        self.summary = summary
        self.signature = signature
        self.forward = forward
        self.backward = backward
    }
}

/// A fusion primitive implemented by C kernels: the forward kernel computes the output and a
/// recorded backward calls the backward kernel, so it takes part in autodiff like any built-in op.
///
/// It has no learnable parameters; its scalar hyper-parameters come from the configuration's
/// options (by the names the plugin declares) or the plugin's defaults.
///
/// ```swift
/// let gated = try registry.primitive(named: "gated_product").make(PrimitiveConfiguration(channels: 8, length: 4), &rng)
/// let y = gated([x, z])   // (B, 8, 4), differentiable through the C backward kernel
/// ```
final class ForeignKernelPrimitive: Module, FusionPrimitive, @unchecked Sendable {
    let kernel: ForeignKernel
    let scalarValues: [ForeignFunction.Argument]

    init(kernel: ForeignKernel, configuration: PrimitiveConfiguration) throws {
        guard configuration.arity == kernel.signature.inputCount else {
            throw ComponentError(
                "primitive '\(kernel.name)' fuses \(kernel.signature.inputCount) inputs, but the search space asks for \(configuration.arity)")
        }
        self.kernel = kernel
        self.scalarValues = try kernel.signature.scalarValues(options: configuration.options, primitive: kernel.name)
        super.init()
    }

    func callAsFunction(_ inputs: [Tensor]) -> Tensor {
        let shape = inputs.first?.shape ?? []
        precondition(
            inputs.count == kernel.signature.inputCount && shape.count == 3 && inputs.allSatisfy { $0.shape == shape },
            "primitive '\(kernel.name)': expects \(kernel.signature.inputCount) inputs of one shape (batch, C, L), got \(inputs.map(\.shape))")
        let dims: [ForeignFunction.Argument] = shape.map { .int64(Int64($0)) }
        let output = Tensor(uninitializedShape: shape)
        let inputBuffers = inputs.map { ForeignFunction.Argument.pointer(UnsafeRawPointer($0.data)) }
        kernel.forward.call(dims + inputBuffers + [.pointer(UnsafeRawPointer(output.data))] + scalarValues)
        // Capture the output's storage, not the tensor, so the graph does not keep itself alive.
        let outputStorage = output.storage
        let kernel = kernel, scalars = scalarValues
        return output.recorded(from: inputs) { outputGrad in
            let grads = inputs.map { Tensor.zeros($0.shape) }
            let gradBuffers = grads.map { ForeignFunction.Argument.pointer(UnsafeRawPointer($0.data)) }
            kernel.backward.call(
                dims + inputBuffers
                    + [.pointer(UnsafeRawPointer(outputStorage.pointer)), .pointer(UnsafeRawPointer(outputGrad.data))]
                    + gradBuffers + scalars)
            for (input, grad) in zip(inputs, grads) where input.requiresGrad { input.accumulateGrad(grad) }
        }
    }
}
