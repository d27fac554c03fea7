import Foundation
import Tensors

/// The MM-IMDB movie-genre dataset (Arevalo et al., 2017) from its `multimodal_imdb.hdf5` file.
public enum MMIMDB {
    /// The 23 genres in the column order of the `genres` dataset (the paper's order, by frequency).
    public static let genreNames = [
        "Drama", "Comedy", "Romance", "Thriller", "Crime", "Action", "Adventure", "Horror",
        "Documentary", "Mystery", "Sci-Fi", "Fantasy", "Family", "Biography", "War", "History",
        "Music", "Animation", "Musical", "Western", "Sport", "Short", "Film-Noir",
    ]

    /// The standard split sizes of the full 25,959-movie file: train, dev (validation), test.
    public static let standardSplit = (train: 15_552, validation: 2_608, test: 7_799)

    /// Loads `features` (N x 300 averaged word2vec of the plot, modality `text`), `vgg_features`
    /// (N x 4096 VGG-16 activations of the poster, modality `image`) and `genres` (N x 23, 0/1,
    /// multi-label) from an MM-IMDB HDF5 file.
    ///
    /// The split is by index order, as in the original: the first 15,552 movies train, the next
    /// 2,608 validate, the last 7,799 test. A file with a different N (for example a small test
    /// file with the same layout) is split in the same proportions (59.9% / 10.0% / rest), by order.
    public static func load(hdf5Path path: String) throws -> MultimodalDataset {
        let text = try HDF5Reader.read(path: path, dataset: "features")
        let image = try HDF5Reader.read(path: path, dataset: "vgg_features")
        let genres = try HDF5Reader.read(path: path, dataset: "genres")
        for (name, tensor, width) in [("features", text, 300), ("vgg_features", image, 4096), ("genres", genres, 23)] {
            guard tensor.rank == 2, tensor.shape[1] == width else {
                throw DataError(path, "dataset '\(name)' has shape \(tensor.shape), expected (N, \(width))")
            }
            guard tensor.shape[0] == genres.shape[0] else {
                throw DataError(path, "dataset '\(name)' has \(tensor.shape[0]) rows but 'genres' has \(genres.shape[0])")
            }
            for i in 0..<tensor.count where !tensor.data[i].isFinite {
                throw DataError(path, "dataset '\(name)' row \(i / width), column \(i % width) is \(tensor.data[i]) (NaN or infinite)")
            }
        }
        let n = genres.shape[0]
        guard n > 0 else { throw DataError(path, "the file holds 0 movies") }
        let labels = Labels.multiLabel(genres, labelNames: genreNames)
        try labels.validate(source: "\(path)[genres]")
        let split = splitFor(count: n)
        return try MultimodalDataset(
            name: "mm-imdb",
            // Backbone outputs (word2vec, VGG-16), so one precomputed feature level each: the
            // pipeline uses them frozen, as the paper does.
            modalities: [Modality(name: "text", levels: [text]), Modality(name: "image", levels: [image])],
            labels: labels, split: split)
    }

    /// The standard split for the full dataset; the same proportions, by index order, otherwise.
    public static func splitFor(count n: Int) -> DatasetSplit {
        let (train, validation, test) = standardSplit
        let total = train + validation + test
        if n == total { return .ordered(trainCount: train, validationCount: validation, total: n) }
        let trainCount = Int((Double(n) * Double(train) / Double(total)).rounded())
        let validationCount = min(n - trainCount, Int((Double(n) * Double(validation) / Double(total)).rounded()))
        return .ordered(trainCount: trainCount, validationCount: validationCount, total: n)
    }
}
