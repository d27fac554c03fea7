import Foundation
import FusionNAS
import Testing

/// Genotype files written before genotypes carried their schema (format version 1) still load,
/// read with BM-NAS's two-input cells, and are written back in the current version with the schema.
@Suite struct GenotypeVersionOneTests {
    /// A `genotype.json` as version-1 builds wrote it (a run on the embedded dataset).
    static let versionOne = """
        {
          "cells" : [
            {
              "inputs" : [1, 2],
              "steps" : [{ "inputs" : [0, 1], "primitive" : "concat_fc" }]
            },
            {
              "inputs" : [4, 0],
              "steps" : [{ "inputs" : [1, 0], "primitive" : "scale_dot_attn" }]
            }
          ],
          "inputs" : ["pix.0", "pix.1", "fou.0", "fou.1"],
          "searchSpace" : "bmnas",
          "version" : 1
        }
        """

    @Test func aVersionOneFileLoadsWithTwoInputCellsAndIsRewrittenWithItsSchema() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("genotype-v1-\(UInt32.random(in: 0...UInt32.max)).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(Self.versionOne.utf8).write(to: url)
        let genotype = try Genotype.load(from: url)
        #expect(genotype.version == 1)
        #expect(genotype.schema == .twoInputCells)
        #expect(genotype.structuralProblems.isEmpty)
        #expect(genotype.description == "cell 0 = concat_fc(pix.1, fou.0); cell 1 = scale_dot_attn(pix.0, cell 0)")

        let rewritten = Genotype(searchSpace: genotype.searchSpace, inputs: genotype.inputs, cells: genotype.cells, schema: genotype.schema)
        try rewritten.jsonData().write(to: url)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        #expect(object["version"] as? Int == Genotype.currentVersion)
        #expect(object["schema"] as? [String: Int] == ["cellInputs": 2, "stepInputs": 2])
        #expect(try Genotype.load(from: url) == rewritten)
    }

    @Test func aCurrentFileWithoutItsSchemaIsRefused() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("genotype-v2-\(UInt32.random(in: 0...UInt32.max)).json")
        defer { try? FileManager.default.removeItem(at: url) }
        let withoutSchema = Self.versionOne.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : \(Genotype.currentVersion)")
        try Data(withoutSchema.utf8).write(to: url)
        #expect { try Genotype.load(from: url) } throws: { "\($0)".contains("schema") }
    }
}
