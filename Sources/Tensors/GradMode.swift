/// Switches gradient recording on and off.
///
/// Evaluation code runs inside ``GradMode/withoutGrad(_:)`` so that no graph is built and no
/// intermediate is kept alive.
///
/// The switch is task-local (thread-local outside Swift tasks): one task evaluating without
/// gradients must not stop another task, such as a concurrently running test, from recording.
public enum GradMode {
    @TaskLocal static var isDisabled = false

    /// Whether ops record how to compute gradients.
    public static var isEnabled: Bool { !isDisabled }

    /// Runs `body` with recording off.
    public static func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
        try $isDisabled.withValue(true) { try body() }
    }
}

/// Shorthand for ``GradMode/withoutGrad(_:)``.
public func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.withoutGrad(body)
}
