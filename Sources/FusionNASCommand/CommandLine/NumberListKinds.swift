import Foundation

/// Lists of numbers, checked when parsed (on the command line and in `--config` files alike), so a
/// bad value is a usage error before any run directory is made rather than a trap or a silent
/// rounding deep inside a command.
extension OptionKind {
    /// Comma-separated distinct whole numbers ≥ 0, such as seeds: `-1`, `1.5`, `nan`, `1e30` and a
    /// value given twice are refused (a repeated seed would only repeat the same runs).
    public static func wholeNumberList(placeholder: String = "n,n,...", example: String = "0,1,2") -> OptionKind {
        numberList(
            placeholder: placeholder, expectation: "a comma-separated list of distinct whole numbers ≥ 0",
            example: example
        ) { text in Int(text).flatMap { $0 >= 0 ? Double($0) : nil } }
    }

    /// Comma-separated distinct fractions in (0, 1]; `0.1` and `0.10` count as the same value.
    public static func fractionList(placeholder: String = "r,r,...", example: String = "0.01,0.1,1") -> OptionKind {
        numberList(
            placeholder: placeholder, expectation: "a comma-separated list of distinct fractions in (0, 1]",
            example: example
        ) { text in Double(text).flatMap { $0 > 0 && $0 <= 1 ? $0 : nil } }
    }

    /// Items kept as typed (so saved configurations read back unchanged); `value` gives each item's
    /// number, or nil when the item is not acceptable; equal numbers are duplicates.
    private static func numberList(
        placeholder: String, expectation: String, example: String,
        value: @escaping @Sendable (String) -> Double?
    ) -> OptionKind {
        OptionKind(placeholder: placeholder, expectation: expectation, example: example, isList: true) { text in
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let numbers = items.map(value)
            guard !items.isEmpty, numbers.allSatisfy({ $0 != nil }), Set(numbers).count == numbers.count else {
                return nil
            }
            return .list(items)
        }
    }
}
