import FusionNAS
import Testing

@Suite struct UnreadModalityTests {
    @Test func aGenotypeThatReadsOnlyOneModalityNamesTheOther() {
        let onlyPix = Genotype(
            searchSpace: "fusionnas", inputs: ["pix.0", "pix.1", "fou.0", "fou.1"],
            cells: [
                CellGenotype(inputs: [0, 1], steps: [StepGenotype(inputs: [0, 1], primitive: "sum")]),
                CellGenotype(inputs: [4, 1], steps: [StepGenotype(inputs: [0, 1], primitive: "sum")]),
            ])
        #expect(onlyPix.unreadModalities == ["fou"])
        var both = onlyPix
        both.cells[1].inputs = [4, 3]
        #expect(both.unreadModalities.isEmpty)
    }
}
