/// Switches gradient recording on and off.
///
/// Evaluation code runs inside ``GradMode/withoutGrad(_:)`` so that no graph is built and no
/// intermediate is kept alive.
public enum GradMode {
    nonisolated(unsafe) static var depthWithoutGrad = 0

    /// Whether ops record how to compute gradients.
    public static var isEnabled: Bool { depthWithoutGrad == 0 }

    /// Runs `body` with recording off.
    public static func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
        depthWithoutGrad += 1
        defer { depthWithoutGrad -= 1 }
        return try body()
    }
}

/// Shorthand for ``GradMode/withoutGrad(_:)``.
public func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.withoutGrad(body)
}
