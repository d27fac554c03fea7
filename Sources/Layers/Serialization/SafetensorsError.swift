import Foundation

/// Why a safetensors file could not be read; always names the file so the user can find it.
public struct SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// What is wrong with the file.
    public enum Problem: Equatable, Sendable {
        /// The file is shorter than the 8-byte header length.
        case truncatedHeader(fileSize: Int)
        /// The declared header length runs past the end of the file.
        case headerLengthTooLarge(declared: UInt64, available: Int)
        /// The header is not a UTF-8 JSON object of the expected form.
        case invalidHeader(String)
        /// A tensor entry lacks a field or has one of the wrong type.
        case invalidEntry(tensor: String, reason: String)
        /// The dtype is not one the safetensors format defines.
        case unknownDtype(tensor: String, dtype: String)
        /// The dtype is valid safetensors but cannot become a Float32 tensor.
        case unsupportedDtype(tensor: String, dtype: String)
        /// The byte range lies outside the data section or is reversed.
        case offsetsOutOfRange(tensor: String, begin: Int, end: Int, dataSize: Int)
        /// Two tensors claim some of the same bytes.
        case overlappingTensors(String, String)
        /// The byte range does not hold exactly the elements the shape and dtype need.
        case sizeMismatch(tensor: String, shape: [Int], dtype: String, expectedBytes: Int, actualBytes: Int)
    }

    /// The file that was being read (or a placeholder for in-memory data).
    public let file: URL
    public let problem: Problem

    public init(file: URL, problem: Problem) {
        self.file = file
        self.problem = problem
    }

    public var description: String {
        let reason: String
        switch problem {
        case .truncatedHeader(let size):
            reason = "truncated header: the file has \(size) bytes but the header length alone needs 8"
        case .headerLengthTooLarge(let declared, let available):
            reason = "header length \(declared) is larger than the \(available) bytes that follow it"
        case .invalidHeader(let detail):
            reason = "bad JSON header: \(detail)"
        case .invalidEntry(let tensor, let detail):
            reason = "tensor '\(tensor)': \(detail)"
        case .unknownDtype(let tensor, let dtype):
            reason = "tensor '\(tensor)': unknown dtype '\(dtype)'"
        case .unsupportedDtype(let tensor, let dtype):
            reason = "tensor '\(tensor)': dtype \(dtype) cannot be read as Float32 (supported: F32, F64, F16, BF16)"
        case .offsetsOutOfRange(let tensor, let begin, let end, let dataSize):
            reason =
                "tensor '\(tensor)': data_offsets [\(begin), \(end)] out of range for a data section of \(dataSize) bytes"
        case .overlappingTensors(let first, let second):
            reason = "tensors '\(first)' and '\(second)' have overlapping data_offsets"
        case .sizeMismatch(let tensor, let shape, let dtype, let expected, let actual):
            reason =
                "tensor '\(tensor)': shape \(shape) of \(dtype) needs \(expected) bytes but data_offsets span \(actual)"
        }
        return "\(file.path): \(reason)"
    }
}
