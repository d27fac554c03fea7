extension Genotype {
    /// Every index that names no node, in words (`cell 1 input 0 is node 9, which is neither ...`).
    /// Empty for any genotype a search derived; hand-edited files are checked with it before use.
    public var structuralProblems: [String] { GenotypeGraph(self).problems }

    /// Input nodes that no step reads, in input order: they cannot affect the fused output.
    public var unusedInputs: [String] {
        let used = GenotypeGraph(self).usedInputs
        return inputs.indices.filter { !used.contains($0) }.map { inputs[$0] }
    }

    /// Modalities none of whose feature levels any step reads (input nodes are named
    /// `modality.level`), in input order: the fused representation ignores them entirely.
    public var unreadModalities: [String] {
        let modality = { (name: String) in name.split(separator: ".").dropLast().joined(separator: ".") }
        let read = Set(inputs.filter { !unusedInputs.contains($0) }.map(modality))
        var seen: [String] = []
        for name in inputs.map(modality) where !read.contains(name) && !seen.contains(name) { seen.append(name) }
        return seen
    }
}
