import CPluginABI

/// The run-time argument list of a C kernel primitive, as its descriptor declares it.
///
/// With N tensor inputs and scalars s_0..s_{K-1} the kernels are
/// `forward(B, C, L, in_0..in_{N-1}, out, s...)` and
/// `backward(B, C, L, in_0..in_{N-1}, out, grad_out, grad_in_0..grad_in_{N-1}, s...)`
/// (see `fusionnas_plugin.h`). Declarations outside the supported range are refused at load time.
struct KernelSignature: Equatable {
    /// A scalar hyper-parameter the kernels take after their buffers.
    struct Scalar: Equatable {
        enum Kind: Equatable { case float, int64, double }
        var name: String
        var kind: Kind
        var defaultValue: Double
    }

    var inputCount: Int
    var scalars: [Scalar]

    /// Reads and validates a kernel declaration; the error says which field is unsupported.
    init(_ kernel: fusionnas_kernel_primitive) throws(KernelSignatureError) {
        let maxInputs = Int(FUSIONNAS_KERNEL_MAX_INPUTS), maxScalars = Int(FUSIONNAS_KERNEL_MAX_SCALARS)
        guard (1...maxInputs).contains(Int(kernel.input_count)) else {
            throw KernelSignatureError("input_count \(kernel.input_count) (supported: 1 to \(maxInputs) tensor inputs)")
        }
        guard (0...maxScalars).contains(Int(kernel.scalar_count)) else {
            throw KernelSignatureError("scalar_count \(kernel.scalar_count) (supported: 0 to \(maxScalars) scalar parameters)")
        }
        guard kernel.forward != nil, kernel.backward != nil else {
            throw KernelSignatureError("a NULL \(kernel.forward == nil ? "forward" : "backward") kernel (both are required)")
        }
        if kernel.scalar_count > 0 && kernel.scalars == nil {
            throw KernelSignatureError("scalar_count \(kernel.scalar_count) but scalars is NULL")
        }
        inputCount = Int(kernel.input_count)
        scalars = []
        for i in 0..<Int(kernel.scalar_count) {
            let declared = kernel.scalars[i]
            guard let rawName = declared.name, !String(cString: rawName).isEmpty else {
                throw KernelSignatureError("scalar \(i) without a name")
            }
            let name = String(cString: rawName)
            let kind: Scalar.Kind
            switch declared.type {
            case FUSIONNAS_SCALAR_FLOAT: kind = .float
            case FUSIONNAS_SCALAR_INT64: kind = .int64
            case FUSIONNAS_SCALAR_DOUBLE: kind = .double
            default:
                throw KernelSignatureError(
                    "scalar '\(name)' of type code \(declared.type) (supported: \(FUSIONNAS_SCALAR_FLOAT) float, \(FUSIONNAS_SCALAR_INT64) int64, \(FUSIONNAS_SCALAR_DOUBLE) double)")
            }
            scalars.append(Scalar(name: name, kind: kind, defaultValue: declared.default_value))
        }
    }

    /// Parameter types of the forward kernel.
    var forwardArguments: [ForeignFunction.ArgumentType] {
        [.int64, .int64, .int64] + Array(repeating: .pointer, count: inputCount + 1) + scalarArguments
    }

    /// Parameter types of the backward kernel.
    var backwardArguments: [ForeignFunction.ArgumentType] {
        [.int64, .int64, .int64] + Array(repeating: .pointer, count: 2 * inputCount + 2) + scalarArguments
    }

    private var scalarArguments: [ForeignFunction.ArgumentType] {
        scalars.map {
            switch $0.kind {
            case .float: .float
            case .int64: .int64
            case .double: .double
            }
        }
    }

    /// The scalar arguments for a configuration's options (defaults where absent).
    func scalarValues(options: [String: Double], primitive: String) throws -> [ForeignFunction.Argument] {
        try scalars.map { scalar in
            let value = options[scalar.name] ?? scalar.defaultValue
            switch scalar.kind {
            case .float: return .float(Float(value))
            case .double: return .double(value)
            case .int64:
                guard value.rounded() == value, let integer = Int64(exactly: value) else {
                    throw ComponentError("primitive '\(primitive)': option '\(scalar.name)' must be an integer, got \(value)")
                }
                return .int64(integer)
            }
        }
    }
}

/// Why a kernel declaration was refused; the loader adds the plugin and kernel names.
struct KernelSignatureError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
