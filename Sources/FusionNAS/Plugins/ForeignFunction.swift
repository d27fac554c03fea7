@preconcurrency import CFFI

/// A C function whose argument list is only known at run time, called through libffi.
///
/// Plugin kernels take a variable number of buffers and scalar hyper-parameters, declared in their
/// descriptor; libffi builds the call for that exact list so C plugins need no fixed signature
/// per arity. The call interface is prepared once and then shared (libffi calls are re-entrant).
///
/// ```swift
/// let f = try ForeignFunction(address: symbol, arguments: [.int64, .pointer, .float])
/// f.call([.int64(4), .pointer(buffer), .float(0.5)])
/// ```
final class ForeignFunction: @unchecked Sendable {
    /// The C type of one argument.
    enum ArgumentType: Equatable {
        case pointer, int64, float, double
    }

    /// One argument value, matching its ``ArgumentType``.
    enum Argument {
        case pointer(UnsafeRawPointer?)
        case int64(Int64)
        case float(Float)
        case double(Double)
    }

    let address: UnsafeMutableRawPointer
    let argumentTypes: [ArgumentType]
    private let cif: UnsafeMutablePointer<ffi_cif>
    private let ffiTypes: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>

    /// Prepares a call interface for a `void` function taking `arguments`; nil when libffi refuses it.
    init?(address: UnsafeMutableRawPointer, arguments: [ArgumentType]) {
        self.address = address
        self.argumentTypes = arguments
        cif = .allocate(capacity: 1)
        ffiTypes = .allocate(capacity: max(arguments.count, 1))
        for (i, type) in arguments.enumerated() { ffiTypes[i] = Self.ffiType(type) }
        let status = ffi_prep_cif(cif, FFI_DEFAULT_ABI, UInt32(arguments.count), Self.voidType, ffiTypes)
        guard status == FFI_OK else {
            cif.deallocate()
            ffiTypes.deallocate()
            return nil
        }
    }

    deinit {
        cif.deallocate()
        ffiTypes.deallocate()
    }

    /// Calls the function; `arguments` must match the declared types one for one.
    func call(_ arguments: [Argument]) {
        precondition(arguments.count == argumentTypes.count, "ForeignFunction: \(arguments.count) arguments for \(argumentTypes.count) parameters")
        // Every value gets an 8-byte slot; libffi reads each through the pointer in `values`.
        let slots = UnsafeMutableRawPointer.allocate(byteCount: 8 * max(arguments.count, 1), alignment: 8)
        let values = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: max(arguments.count, 1))
        defer {
            slots.deallocate()
            values.deallocate()
        }
        for (i, argument) in arguments.enumerated() {
            let slot = slots + 8 * i
            switch (argument, argumentTypes[i]) {
            case (.pointer(let p), .pointer): slot.storeBytes(of: p, as: UnsafeRawPointer?.self)
            case (.int64(let v), .int64): slot.storeBytes(of: v, as: Int64.self)
            case (.float(let v), .float): slot.storeBytes(of: v, as: Float.self)
            case (.double(let v), .double): slot.storeBytes(of: v, as: Double.self)
            default: preconditionFailure("ForeignFunction: argument \(i) is \(argument), declared \(argumentTypes[i])")
            }
            values[i] = slot
        }
        let function = unsafeBitCast(address, to: (@convention(c) () -> Void).self)
        ffi_call(cif, function, nil, values)
    }

    private static func ffiType(_ type: ArgumentType) -> UnsafeMutablePointer<ffi_type> {
        switch type {
        case .pointer: withUnsafeMutablePointer(to: &ffi_type_pointer) { $0 }
        case .int64: withUnsafeMutablePointer(to: &ffi_type_sint64) { $0 }
        case .float: withUnsafeMutablePointer(to: &ffi_type_float) { $0 }
        case .double: withUnsafeMutablePointer(to: &ffi_type_double) { $0 }
        }
    }

    private static var voidType: UnsafeMutablePointer<ffi_type> {
        withUnsafeMutablePointer(to: &ffi_type_void) { $0 }
    }
}
