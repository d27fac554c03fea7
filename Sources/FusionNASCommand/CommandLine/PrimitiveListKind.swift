import Foundation

extension OptionKind {
    /// Comma-separated distinct primitive names, at least one of them not `zero`.
    ///
    /// The zero primitive only switches a step off and is never chosen for the genotype, so a search
    /// over `zero` alone has no output to mix; refusing it here stops the command before any work
    /// instead of failing inside the search after the encoders were trained.
    public static func primitiveList(example: String) -> OptionKind {
        let names = OptionKind.list(example: example)
        return OptionKind(
            placeholder: names.placeholder, expectation: "a comma-separated list of names, at least one of them not zero",
            example: example, isList: true
        ) { text in
            guard case .list(let items)? = names.convert(text), items.contains(where: { $0 != "zero" }) else { return nil }
            return .list(items)
        }
    }
}
