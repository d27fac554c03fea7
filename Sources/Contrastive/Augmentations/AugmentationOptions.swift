import FusionNAS

/// Reads and validates the `[String: Double]` options an augmentation factory receives.
struct AugmentationOptions {
    let component: String
    let options: [String: Double]

    /// Throws if `options` names anything outside `known`, so a misspelt option is not silently ignored.
    init(_ options: [String: Double], component: String, known: Set<String>) throws {
        try ContrastiveValidation.checkOptionNames(options, known: known, component: component)
        self.component = component
        self.options = options
    }

    /// The option `name` (or `fallback`), which must be finite and within `range`.
    func value(_ name: String, default fallback: Double, in range: ClosedRange<Double>) throws -> Double {
        let value = options[name] ?? fallback
        guard value.isFinite, range.contains(value) else {
            throw ComponentError(.invalidOption(component: component), "\(component): option \(name) must be in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return value
    }

    /// A probability option in [0, 1].
    func probability(_ name: String, default fallback: Double) throws -> Float {
        Float(try value(name, default: fallback, in: 0...1))
    }
}
