import Foundation
import Tensors

extension EmbeddedDatasets {
    /// The name `DatasetLoader` and `--dataset` know the embedded smartwatch exercise data by.
    public static let smartwatchIMUName = "smartwatch-imu"

    /// The two sensors, each one modality, in the order they are offered.
    public static let smartwatchIMUSensors = ["accelerometer", "gyroscope"]

    /// Smartwatch IMU exercises: 4,677 two-second windows (100 samples at 50 Hz) of 7 shoulder
    /// rehabilitation exercises by 10 subjects, accelerometer and gyroscope as two modalities.
    ///
    /// Each sensor is a sequence modality of sample shape `[3, 100]` (x, y, z over time), read from
    /// `smartwatch_imu.npz`; the class indices are its `labels` array, the names `classes.txt`. The
    /// split is the provider's split by subject (subjects 1-6 / 7-8 / 9-10: 2,669 / 1,006 / 1,002
    /// windows): windows of one recording overlap, so any split that mixed a subject's windows
    /// across parts would leak. See `Resources/smartwatch-imu/README.md` for the source and licence.
    ///
    /// - Parameter modalities: the sensors to load, in the order the model receives them.
    public static func smartwatchIMU(modalities: [String] = smartwatchIMUSensors) throws -> MultimodalDataset {
        try checkModalities(modalities, available: smartwatchIMUSensors, dataset: smartwatchIMUName)
        let archive = try resourcePath("smartwatch_imu.npz", in: smartwatchIMUName)
        // One read: the archive is 5 MB of deflated members, and each sensor is one of them.
        let arrays = try NPZReader.read(path: archive)
        func array(_ name: String) throws -> NPYArray {
            guard let array = arrays[name] else {
                throw DataError(archive, "no array '\(name)' in the archive; it contains: \(arrays.keys.sorted().joined(separator: ", "))")
            }
            return array
        }
        let classesPath = try resourcePath("classes.txt", in: smartwatchIMUName)
        let classNames = String(decoding: try readFileBytes(classesPath), as: UTF8.self)
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let labels = Labels.multiClass(
            try array("labels").integers(source: "\(archive)[labels]"), classNames: classNames)
        try labels.validate(source: "\(archive)[labels] with names from \(classesPath)")
        let loaded = try modalities.map { sensor -> Modality in
            let features = try array(sensor)
            guard features.shape.count == 3, features.shape[1] == 3, features.shape[0] == labels.sampleCount else {
                throw DataError("\(archive)[\(sensor)]", "expected shape (\(labels.sampleCount), 3, length), got \(features.shape)")
            }
            return Modality(name: sensor, kind: .sequence, features: features.floatTensor())
        }
        return try MultimodalDataset(
            name: smartwatchIMUName, modalities: loaded, labels: labels, split: shippedSplit(of: smartwatchIMUName))
    }
}
