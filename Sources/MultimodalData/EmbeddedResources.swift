import Foundation

extension EmbeddedDatasets {
    /// The path of `file` inside the bundled folder `dataset` (e.g. `satellite/red.csv`).
    ///
    /// A missing file means the package was built without its resources (Package.swift's
    /// `resources:` list), which no user data can fix, so the message says where it should be.
    static func resourcePath(_ file: String, in dataset: String) throws -> String {
        let url = URL(fileURLWithPath: file)
        guard let found = Bundle.module.url(
            forResource: url.deletingPathExtension().lastPathComponent, withExtension: url.pathExtension,
            subdirectory: dataset)
        else {
            throw DataError(
                dataset,
                "resource \(dataset)/\(file) is missing from the bundle; it belongs in Sources/MultimodalData/Resources/\(dataset)/ and Package.swift must copy that folder")
        }
        return found.path
    }

    /// The fixed split shipped with a dataset as `train.npy`, `validation.npy` and `test.npy` (integer
    /// row indices), so that every run and every reported figure uses the provider's split.
    static func shippedSplit(of dataset: String) throws -> DatasetSplit {
        DatasetSplit(
            train: try DatasetLoader.loadIndices(resourcePath("train.npy", in: dataset)),
            validation: try DatasetLoader.loadIndices(resourcePath("validation.npy", in: dataset)),
            test: try DatasetLoader.loadIndices(resourcePath("test.npy", in: dataset)))
    }

    /// Checks a modality list against the names a dataset offers, so a typo is reported with the choices.
    static func checkModalities(_ modalities: [String], available: [String], dataset: String) throws {
        guard !modalities.isEmpty else {
            throw DataError(dataset, "no modality selected; available: \(available.joined(separator: ", "))")
        }
        if let unknown = modalities.first(where: { !available.contains($0) }) {
            throw DataError(dataset, "unknown modality '\(unknown)'; available: \(available.joined(separator: ", "))")
        }
    }
}
