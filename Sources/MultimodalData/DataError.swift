/// Every failure of a loader, parser or dataset operation in this module.
///
/// The message always names where the problem is (file, field, row, column or shape) so that a user
/// can fix their data without reading the loader's source.
public struct DataError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file (or built-in dataset name, or in-memory source) the problem was found in.
    public var source: String
    /// What went wrong, including the field, row, column or shape involved.
    public var message: String

    public init(_ source: String, _ message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}
