extension Genotype {
    /// Every index that names no node, in words (`cell 1 input 0 is node 9, which is neither ...`).
    /// Empty for any genotype a search derived; hand-edited files are checked with it before use.
    public var structuralProblems: [String] { GenotypeGraph(self).problems }

    /// Input nodes that no step reads, in input order: they cannot affect the fused output.
    public var unusedInputs: [String] {
        let used = GenotypeGraph(self).usedInputs
        return inputs.indices.filter { !used.contains($0) }.map { inputs[$0] }
    }
}
