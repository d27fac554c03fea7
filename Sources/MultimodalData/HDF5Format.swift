@preconcurrency import CHDF5
import FileChecks
import Foundation
import Tensors

/// The HDF5 library is not built thread-safe on Debian, and tests and loaders may run
/// concurrently, so every call into it holds this lock.
private let hdf5Lock = NSLock()

/// Reads numeric datasets of HDF5 files (through the C library).
public enum HDF5Reader {
    /// The dataset `name` of the file at `path`, converted to float32 by the HDF5 library, as a
    /// tensor of the dataset's shape.
    ///
    /// - Throws: ``DataError`` naming the file (and dataset) when the file is missing or not HDF5,
    ///   the dataset is missing, or its type is not integer or floating point.
    public static func read(path: String, dataset name: String) throws -> Tensor {
        try withFile(path) { file in
            guard H5Lexists(file, name, 0) > 0 else {
                throw DataError(path, "no dataset '\(name)' in the HDF5 file; it contains: \(rootNames(file).joined(separator: ", "))")
            }
            let dataset = H5Dopen2(file, name, 0)
            guard dataset >= 0 else { throw DataError(path, "'\(name)' cannot be opened as a dataset") }
            defer { H5Dclose(dataset) }
            let type = H5Dget_type(dataset)
            defer { H5Tclose(type) }
            let typeClass = H5Tget_class(type)
            guard typeClass == H5T_INTEGER || typeClass == H5T_FLOAT else {
                throw DataError(path, "dataset '\(name)' is not numeric (HDF5 type class \(typeClass.rawValue))")
            }
            let space = H5Dget_space(dataset)
            defer { H5Sclose(space) }
            let rank = Int(H5Sget_simple_extent_ndims(space))
            guard rank >= 0 else { throw DataError(path, "dataset '\(name)' has no simple dataspace") }
            var dims = [hsize_t](repeating: 0, count: rank)
            H5Sget_simple_extent_dims(space, &dims, nil)
            let shape = dims.map { Int($0) }
            let tensor = Tensor(uninitializedShape: shape)
            if tensor.count > 0 {
                H5open()
                guard H5Dread(dataset, H5T_NATIVE_FLOAT_g, 0, 0, 0, tensor.data) >= 0 else {
                    throw DataError(path, "reading dataset '\(name)' of shape \(shape) failed")
                }
            }
            return tensor
        }
    }

    /// The shape of dataset `name`, without reading its values.
    public static func shape(path: String, dataset name: String) throws -> [Int] {
        try withFile(path) { file in
            guard H5Lexists(file, name, 0) > 0 else { throw DataError(path, "no dataset '\(name)' in the HDF5 file") }
            let dataset = H5Dopen2(file, name, 0)
            guard dataset >= 0 else { throw DataError(path, "'\(name)' cannot be opened as a dataset") }
            defer { H5Dclose(dataset) }
            let space = H5Dget_space(dataset)
            defer { H5Sclose(space) }
            var dims = [hsize_t](repeating: 0, count: max(0, Int(H5Sget_simple_extent_ndims(space))))
            H5Sget_simple_extent_dims(space, &dims, nil)
            return dims.map { Int($0) }
        }
    }

    /// Opens `path` read-only, runs `body` with the file id under the library lock, and closes it.
    static func withFile<T>(_ path: String, _ body: (hid_t) throws -> T) throws -> T {
        if let reason = ReadableFile.problem(reading: path) { throw DataError(path, reason) }
        hdf5Lock.lock()
        defer { hdf5Lock.unlock() }
        // Errors are reported by this module; the library's own stack dump would only be noise.
        H5Eset_auto2(0, nil, nil)
        guard H5Fis_hdf5(path) > 0 else { throw DataError(path, "not an HDF5 file (bad signature)") }
        let file = H5Fopen(path, 0, 0)
        guard file >= 0 else { throw DataError(path, "cannot open the HDF5 file") }
        defer { H5Fclose(file) }
        return try body(file)
    }

    /// The names of the objects in the file's root group (for error messages).
    private static func rootNames(_ file: hid_t) -> [String] {
        var info = H5G_info_t()
        guard H5Gget_info(file, &info) >= 0 else { return [] }
        return (0..<info.nlinks).compactMap { i -> String? in
            let length = H5Lget_name_by_idx(file, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, 0)
            guard length > 0 else { return nil }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            H5Lget_name_by_idx(file, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, Int(length) + 1, 0)
            return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}

/// Writes float32 datasets to a new HDF5 file (used by tests and to prepare small datasets).
public enum HDF5Writer {
    /// Creates (or replaces) the file at `path` with one float32 dataset per entry of `datasets`.
    public static func write(_ datasets: [(name: String, tensor: Tensor)], to path: String) throws {
        hdf5Lock.lock()
        defer { hdf5Lock.unlock() }
        H5Eset_auto2(0, nil, nil)
        H5open()
        let file = H5Fcreate(path, 2, 0, 0)
        guard file >= 0 else { throw DataError(path, "cannot create the HDF5 file") }
        defer { H5Fclose(file) }
        for (name, tensor) in datasets {
            var dims = tensor.shape.map { hsize_t($0) }
            let space = H5Screate_simple(Int32(dims.count), &dims, nil)
            defer { H5Sclose(space) }
            let dataset = H5Dcreate2(file, name, H5T_IEEE_F32LE_g, space, 0, 0, 0)
            guard dataset >= 0 else { throw DataError(path, "cannot create dataset '\(name)' of shape \(tensor.shape)") }
            defer { H5Dclose(dataset) }
            guard H5Dwrite(dataset, H5T_NATIVE_FLOAT_g, 0, 0, 0, tensor.data) >= 0 else {
                throw DataError(path, "cannot write dataset '\(name)'")
            }
        }
    }
}
