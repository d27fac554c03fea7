import Tensors

extension EmbeddedDatasets {
    /// The name `DatasetLoader` and `--dataset` know the embedded Statlog Landsat data by.
    public static let satelliteName = "satellite"

    /// The four spectral bands, each one modality, in the order they are offered.
    public static let satelliteBands = ["green", "red", "nir1", "nir2"]

    /// Statlog (Landsat Satellite): 6,435 3x3 pixel neighbourhoods of a Landsat MSS image, labelled
    /// with the soil or crop class of the centre pixel (6 classes), each spectral band a modality.
    ///
    /// Each band is an image modality of sample shape `[1, 3, 3]` (raw values 0-255; p0..p8 row-major,
    /// p4 the centre), so the built-in `cnn` encoder sees the neighbourhood as a picture: its first
    /// level is (filters, 9), its second, after 2x2 pooling, (filters, 1). The class names come from
    /// `labels.txt` in sorted order; the split is the provider's fixed stratified 70/15/15 split
    /// (4,505 / 965 / 965). Fit a ``Standardizer`` on the training indices before training.
    /// See `Resources/satellite/README.md` for the source and licence.
    ///
    /// - Parameter modalities: the bands to load, in the order the model receives them.
    public static func satellite(modalities: [String] = satelliteBands) throws -> MultimodalDataset {
        try checkModalities(modalities, available: satelliteBands, dataset: satelliteName)
        let labelsPath = try resourcePath("labels.txt", in: satelliteName)
        let labels = try DatasetLoader.loadLabels(
            DatasetManifest.LabelsEntry(file: labelsPath, kind: "multi-class", format: "names"),
            file: labelsPath, manifest: satelliteName)
        try labels.validate(source: labelsPath)
        let loaded = try modalities.map { band -> Modality in
            let path = try resourcePath("\(band).csv", in: satelliteName)
            let table = try CSVReader.read(path: path, header: .present, labelColumn: .none)
            guard table.features.rank == 2, table.features.shape[1] == 9 else {
                throw DataError(path, "expected 9 columns (p0..p8 of a 3x3 patch), got shape \(table.features.shape)")
            }
            let patches = Tensor(shape: [table.rowCount, 1, 3, 3], storage: table.features.storage)
            return Modality(name: band, kind: .image, features: patches)
        }
        return try MultimodalDataset(
            name: satelliteName, modalities: loaded, labels: labels, split: shippedSplit(of: satelliteName))
    }
}
