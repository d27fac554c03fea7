import Foundation
import Tensors

/// Loads a dataset from what a user names on the command line.
public enum DatasetLoader {
    /// Loads `path`, which is one of:
    /// - a built-in name: `uci-mfeat` (views pix and fou; see ``EmbeddedDatasets/uciMFeat(modalities:seed:)``),
    ///   `satellite` (all four bands; ``EmbeddedDatasets/satellite(modalities:)``) or `smartwatch-imu`
    ///   (both sensors; ``EmbeddedDatasets/smartwatchIMU(modalities:)``),
    /// - a `.json` manifest (see ``DatasetManifest``),
    /// - an MM-IMDB `.hdf5`/`.h5` file (see ``MMIMDB/load(hdf5Path:)``).
    public static func load(path: String) throws -> MultimodalDataset {
        if path == EmbeddedDatasets.uciMFeatName { return try EmbeddedDatasets.uciMFeat() }
        if path == EmbeddedDatasets.satelliteName { return try EmbeddedDatasets.satellite() }
        if path == EmbeddedDatasets.smartwatchIMUName { return try EmbeddedDatasets.smartwatchIMU() }
        let lowered = path.lowercased()
        if lowered.hasSuffix(".json") { return try loadManifest(path: path) }
        if lowered.hasSuffix(".hdf5") || lowered.hasSuffix(".h5") { return try MMIMDB.load(hdf5Path: path) }
        throw DataError(path, "unknown dataset: expected a built-in name ('\(EmbeddedDatasets.uciMFeatName)', '\(EmbeddedDatasets.satelliteName)', '\(EmbeddedDatasets.smartwatchIMUName)'), a .json manifest or an MM-IMDB .hdf5 file")
    }

    /// The files the dataset `path` is read from: nothing for a built-in name, the file itself for
    /// an `.hdf5`, and a manifest with every file it names (resolved as ``loadManifest(path:)`` does).
    public static func files(path: String) throws -> [String] {
        let lowered = path.lowercased()
        guard lowered.hasSuffix(".json") else {
            return lowered.hasSuffix(".hdf5") || lowered.hasSuffix(".h5") ? [path] : []
        }
        let manifest = try DatasetManifest.decode(Data(readFileBytes(path)), source: path)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ file: String) -> String { file.hasPrefix("/") ? file : directory.appendingPathComponent(file).path }
        var named = manifest.modalities.flatMap { entry in [entry.file].compactMap { $0 } + (entry.levels ?? []).compactMap(\.file) }
        named.append(manifest.labels.file)
        if let split = manifest.split { named += [split.train, split.validation, split.test] }
        var seen = Set<String>()
        return [path] + named.map(resolve).filter { seen.insert($0).inserted }
    }

    /// Loads the dataset described by the manifest at `path`.
    public static func loadManifest(path: String) throws -> MultimodalDataset {
        let manifest = try DatasetManifest.decode(Data(readFileBytes(path)), source: path)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ file: String) -> String {
            file.hasPrefix("/") ? file : directory.appendingPathComponent(file).path
        }
        guard !manifest.modalities.isEmpty else { throw DataError(path, "field 'modalities' is empty") }
        var modalities = [Modality]()
        for (i, entry) in manifest.modalities.enumerated() {
            guard let kind = ModalityKind(rawValue: entry.kind) else {
                throw DataError(path, "modalities[\(i)].kind '\(entry.kind)' is not one of \(ModalityKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if kind == .featureLevels {
                guard let levels = entry.levels, !levels.isEmpty else {
                    throw DataError(path, "modalities[\(i)] ('\(entry.name)') is feature-levels but has no 'levels'")
                }
                let tensors = try levels.enumerated().map { j, level -> Tensor in
                    guard let file = level.file ?? entry.file else {
                        throw DataError(path, "modalities[\(i)].levels[\(j)] has no 'file' (and the modality has none)")
                    }
                    return try loadFeatures(resolve(file), dataset: level.dataset, shape: level.shape, rank: 3)
                }
                modalities.append(Modality(name: entry.name, levels: tensors))
            } else {
                guard let file = entry.file else { throw DataError(path, "modalities[\(i)] ('\(entry.name)') has no 'file'") }
                let rank = [ModalityKind.vector: 2, .sequence: 3, .image: 4][kind]!
                let features = try loadFeatures(resolve(file), dataset: entry.dataset, shape: entry.shape, rank: rank)
                modalities.append(Modality(name: entry.name, kind: kind, features: features))
            }
            if let encoder = entry.encoder {
                // Whether the name is registered is checked where encoders are built (plugins may add it).
                guard !encoder.isEmpty else { throw DataError(path, "modalities[\(i)].encoder is empty; name a registered encoder (e.g. precomputed) or leave the key out") }
                modalities[modalities.count - 1].encoder = encoder
            }
        }
        let labelsFile = resolve(manifest.labels.file)
        let labels = try loadLabels(
            manifest.labels, file: labelsFile, manifest: path, expectedRows: modalities.first?.tensors.first?.shape[0])
        // Checked before validation, which would report an empty file as "class 0 has no sample".
        guard labels.sampleCount > 0 else {
            let rows = modalities.first?.tensors.first?.shape[0] ?? 0
            throw DataError(labelsFile, "the file holds no label; it needs \(rows) labels, one for each row of the features")
        }
        try labels.validate(source: labelsFile)
        for modality in modalities {
            for tensor in modality.tensors where tensor.shape[0] != labels.sampleCount {
                throw DataError(path, "modality '\(modality.name)' has \(tensor.shape[0]) rows (shape \(tensor.shape)) but the labels in \(labelsFile) have \(labels.sampleCount)")
            }
        }
        let split: DatasetSplit
        if let entry = manifest.split {
            split = DatasetSplit(
                train: try loadIndices(resolve(entry.train)),
                validation: try loadIndices(resolve(entry.validation)),
                test: try loadIndices(resolve(entry.test)))
        } else {
            split = DatasetSplit.stratified(labels: labels, seed: manifest.seed ?? 0)
        }
        let name = manifest.name ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        do {
            return try MultimodalDataset(name: name, modalities: modalities, labels: labels, split: split)
        } catch let error as DataError {
            throw DataError(path, error.message)
        }
    }

    /// A numeric array from a `.npy`, `.npz` (member `dataset`, or the only member), `.csv` (no label
    /// column) or HDF5 file (dataset `dataset`).
    public static func loadArray(_ file: String, dataset: String? = nil) throws -> NPYArrayOrTensor {
        let lowered = file.lowercased()
        if lowered.hasSuffix(".npy") { return .npy(try NPYReader.read(path: file)) }
        if lowered.hasSuffix(".npz") {
            let arrays = try NPZReader.read(path: file)
            if let dataset {
                guard let array = arrays[dataset] else {
                    throw DataError(file, "no array '\(dataset)' in the archive; it contains: \(arrays.keys.sorted().joined(separator: ", "))")
                }
                return .npy(array)
            }
            guard arrays.count == 1, let only = arrays.values.first else {
                throw DataError(file, "the archive holds \(arrays.count) arrays (\(arrays.keys.sorted().joined(separator: ", "))); name one with 'dataset'")
            }
            return .npy(only)
        }
        if lowered.hasSuffix(".csv") { return .tensor(try CSVReader.read(path: file, labelColumn: .none).features) }
        if lowered.hasSuffix(".h5") || lowered.hasSuffix(".hdf5") {
            guard let dataset else { throw DataError(file, "an HDF5 file needs 'dataset' naming the array to read") }
            return .tensor(try HDF5Reader.read(path: file, dataset: dataset))
        }
        throw DataError(file, "unsupported file type (expected .npy, .npz, .csv, .h5 or .hdf5)")
    }

    /// Features `(N, ...)` reshaped to `[N] + shape` when a shape is given, checked to have `rank`
    /// axes and only finite values.
    static func loadFeatures(_ file: String, dataset: String?, shape: [Int]?, rank: Int) throws -> Tensor {
        var tensor = try loadArray(file, dataset: dataset).tensor
        let label = dataset.map { "\(file)[\($0)]" } ?? file
        guard tensor.rank >= 1, tensor.shape[0] > 0 else { throw DataError(label, "the features are empty (shape \(tensor.shape))") }
        let rows = tensor.shape[0]
        if let shape {
            // Overflow-checked: a shape such as [4294967296, 4294967296] has no element count in an Int.
            let perRow = shape.reduce(Int?(1)) { product, n in
                product.flatMap { p in n > 0 ? { let (r, o) = p.multipliedReportingOverflow(by: n); return o ? nil : r }() : nil }
            }
            let total = perRow.flatMap { p in { let (r, o) = rows.multipliedReportingOverflow(by: p); return o ? nil : r }() }
            guard shape.allSatisfy({ $0 > 0 }), total == tensor.count else {
                throw DataError(label, "array of shape \(tensor.shape) cannot be reshaped to \(rows) samples of shape \(shape)")
            }
            tensor = Tensor(shape: [rows] + shape, storage: tensor.storage)
        } else if rank == 2 && tensor.rank != 2 {
            tensor = Tensor(shape: [rows, tensor.count / rows], storage: tensor.storage)
        }
        guard tensor.rank == rank else {
            throw DataError(label, "shape \(tensor.shape) has \(tensor.rank) axes; this kind needs \(rank) (samples first); give 'shape'")
        }
        let width = tensor.count / rows
        for i in 0..<tensor.count where !tensor.data[i].isFinite {
            throw DataError(label, "row \(i / width), feature \(i % width) is \(tensor.data[i]) (NaN or infinite values are not allowed)")
        }
        return tensor
    }

    /// The labels described by `entry`; `expectedRows` (the features' sample count, if known) lets a
    /// `names` file have a header line.
    static func loadLabels(
        _ entry: DatasetManifest.LabelsEntry, file: String, manifest: String, expectedRows: Int? = nil
    ) throws -> Labels {
        let multiLabel: Bool
        switch entry.kind {
        case "multi-class": multiLabel = false
        case "multi-label": multiLabel = true
        default: throw DataError(manifest, "labels.kind '\(entry.kind)' is not 'multi-class' or 'multi-label'")
        }
        if let names = entry.names { try checkUnique(names, manifest: manifest) }
        switch entry.format {
        case "integer":
            guard !multiLabel else { throw DataError(manifest, "labels.format 'integer' needs labels.kind 'multi-class'") }
            let classes: [Int]
            switch try loadArray(file, dataset: entry.dataset) {
            case .npy(let array): classes = try array.integers(source: file)
            case .tensor(let tensor):
                classes = try (0..<tensor.count).map { i in
                    guard tensor.data[i].rounded() == tensor.data[i], abs(tensor.data[i]) < 1e9 else {
                        throw DataError(file, "label at row \(i) is \(tensor.data[i]), not an integer")
                    }
                    return Int(tensor.data[i])
                }
            }
            guard let names = entry.names else { return try IntegerClassLabels.labels(classes, source: file) }
            if let (row, bad) = classes.enumerated().first(where: { $0.element < 0 }) {
                throw DataError(file, "label \(bad) at row \(row) is negative")
            }
            return .multiClass(classes, classNames: names)
        case "one-hot":
            let matrix = try loadArray(file, dataset: entry.dataset).tensor
            guard matrix.rank == 2 else { throw DataError(file, "one-hot labels must be N x K, got shape \(matrix.shape)") }
            let k = matrix.shape[1]
            let names = entry.names ?? (0..<k).map(String.init)
            guard names.count == k else { throw DataError(file, "\(names.count) names for \(k) label columns (shape \(matrix.shape))") }
            if multiLabel { return .multiLabel(matrix, labelNames: names) }
            let classes = try (0..<matrix.shape[0]).map { row -> Int in
                let values = (0..<k).map { matrix.data[row * k + $0] }
                guard values.allSatisfy({ $0 == 0 || $0 == 1 }), values.filter({ $0 == 1 }).count == 1 else {
                    throw DataError(file, "one-hot row \(row) does not have exactly one 1")
                }
                return values.firstIndex(of: 1)!
            }
            return .multiClass(classes, classNames: names)
        case "names":
            let read = try NameLabelLines(file: file, names: entry.names, multiLabel: multiLabel, expectedRows: expectedRows)
            let lines = read.lines, firstLine = read.firstLine
            if let empty = lines.firstIndex(of: "") { throw DataError(file, "line \(empty + firstLine) has no label") }
            if multiLabel {
                let perSample = lines.map { NameLabelLines.parts($0, multiLabel: true) }
                let names = entry.names ?? Array(Set(perSample.joined())).sorted()
                let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
                let matrix = Tensor.zeros([lines.count, names.count])
                for (row, labels) in perSample.enumerated() {
                    for label in labels {
                        guard let j = index[label] else { throw DataError(file, "line \(row + firstLine): unknown label '\(label)'") }
                        matrix.data[row * names.count + j] = 1
                    }
                }
                return .multiLabel(matrix, labelNames: names)
            }
            let names = entry.names ?? Array(Set(lines)).sorted()
            let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            let classes = try lines.enumerated().map { row, name in
                guard let c = index[name] else { throw DataError(file, "line \(row + firstLine): unknown class '\(name)'") }
                return c
            }
            return .multiClass(classes, classNames: names)
        default:
            throw DataError(manifest, "labels.format '\(entry.format)' is not 'integer', 'one-hot' or 'names'")
        }
    }

    /// Refuses a `labels.names` list that names a class twice: each name must map to one column or
    /// class index (building that map would otherwise trap on the duplicate key).
    static func checkUnique(_ names: [String], manifest: String) throws {
        var first = [String: Int]()
        for (position, name) in names.enumerated() {
            if let earlier = first[name] {
                throw DataError(manifest, "labels.names lists '\(name)' twice (positions \(earlier) and \(position)); give each class or label name once")
            }
            first[name] = position
        }
    }

    /// Sample indices from an `.npy` file or a text file of integers.
    static func loadIndices(_ file: String) throws -> [Int] {
        if file.lowercased().hasSuffix(".npy") { return try NPYReader.read(path: file).integers(source: file) }
        let text = String(decoding: try TextFile.utf8Bytes(try readFileBytes(file), source: file), as: UTF8.self)
        return try text.split(whereSeparator: { $0 == "," || $0.isWhitespace }).enumerated().map { position, token in
            guard let index = Int(token) else { throw DataError(file, "entry \(position) '\(token.prefix(20))' is not an integer index") }
            return index
        }
    }
}

/// An array as read from a file: `.npy`/`.npz` arrays keep their dtype (so integer labels stay
/// exact); other formats are float32 tensors.
public enum NPYArrayOrTensor {
    case npy(NPYArray)
    case tensor(Tensor)

    /// The values as a float32 tensor.
    public var tensor: Tensor {
        switch self {
        case .npy(let array): return array.floatTensor()
        case .tensor(let tensor): return tensor
        }
    }
}
