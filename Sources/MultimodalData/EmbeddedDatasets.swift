import Foundation
import Tensors

/// Datasets shipped inside the module, so that every command and test has real data offline:
/// `uci-mfeat` (here), `satellite` (EmbeddedSatellite.swift) and `smartwatch-imu` (EmbeddedSmartwatchIMU.swift).
public enum EmbeddedDatasets {
    /// The names of the six UCI Multiple Features views, in the order they are offered.
    public static let uciMFeatViews = ["pix", "fou", "fac", "kar", "zer", "mor"]

    /// The name `DatasetLoader` knows the embedded UCI Multiple Features dataset by.
    public static let uciMFeatName = "uci-mfeat"

    /// The height and width of a `pix` image.
    ///
    /// The 240 values are a row-major picture 15 pixels wide and 16 tall: printed that way the
    /// digits are upright (printed 16 wide they are sheared), hence sample shape `[1, 16, 15]`.
    public static let uciMFeatImageSize = (height: 16, width: 15)

    /// UCI Multiple Features: 2,000 handwritten digits (200 per class '0'-'9') seen through up to six
    /// feature views, with a fixed seeded stratified 70/15/15 split (140/30/30 per class).
    ///
    /// Views: `pix` (image `[1, 16, 15]`, values 0-6), `fou` (76 Fourier coefficients), `fac` (216
    /// profile correlations), `kar` (64 Karhunen-Loeve coefficients), `zer` (47 Zernike moments),
    /// `mor` (6 morphological features), all vectors except `pix`. Features are raw; fit a
    /// ``Standardizer`` on the training indices before training.
    ///
    /// - Parameters:
    ///   - modalities: the views to load, in the order the model receives them.
    ///   - seed: the seed of the split (the samples are always the same).
    public static func uciMFeat(modalities: [String] = ["pix", "fou"], seed: UInt64 = 0) throws -> MultimodalDataset {
        guard !modalities.isEmpty else {
            throw DataError(uciMFeatName, "no view selected; available: \(uciMFeatViews.joined(separator: ", "))")
        }
        var loaded = [Modality]()
        var labels: Labels? = nil
        for view in modalities {
            guard uciMFeatViews.contains(view) else {
                throw DataError(uciMFeatName, "unknown modality '\(view)'; available: \(uciMFeatViews.joined(separator: ", "))")
            }
            guard let url = Bundle.module.url(
                forResource: "mfeat-\(view)", withExtension: "csv", subdirectory: "uci-mfeat")
            else {
                throw DataError(uciMFeatName, "resource uci-mfeat/mfeat-\(view).csv is missing from the bundle")
            }
            let table = try CSVReader.read(path: url.path, header: .present, labelColumn: .last)
            let viewLabels = try table.multiClassLabels()
            if case .multiClass(let first, _)? = labels, case .multiClass(let these, _) = viewLabels, first != these {
                throw DataError(url.path, "the labels differ from those of the first view; the files are out of order")
            }
            labels = viewLabels
            if view == "pix" {
                let (h, w) = uciMFeatImageSize
                let image = Tensor(shape: [table.rowCount, 1, h, w], storage: table.features.storage)
                loaded.append(Modality(name: view, kind: .image, features: image))
            } else {
                loaded.append(Modality(name: view, kind: .vector, features: table.features))
            }
        }
        let split = DatasetSplit.stratified(labels: labels!, seed: seed)
        return try MultimodalDataset(name: uciMFeatName, modalities: loaded, labels: labels!, split: split)
    }
}
