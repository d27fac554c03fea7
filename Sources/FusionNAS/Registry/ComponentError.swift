/// An error a user can fix: a bad name, option, file or plugin. The message says what to do.
public struct ComponentError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
