import Testing
@testable import MultimodalData

/// Inputs found by Tests/Fuzz/run-parser-fuzz.sh, kept so that the fixes stay fixed.
@Suite struct FuzzRegressionTests {
    /// A one-row CSV (the fuzz input minus its parser-selector byte) whose integer label 1111111111 made `multiClassLabels` allocate a class name
    /// per possible class and run out of memory.
    @Test func hugeIntegerLabelIsAnErrorNotAnAllocation() throws {
        let bytes: [UInt8] = Array("111111111111,1111111111".utf8)
        let table = try CSVReader.parse(bytes, source: "fuzz.csv")
        #expect { _ = try table.multiClassLabels() } throws: { message($0, mentions: "fuzz.csv", "label 1111111111", "row 0", "too large") }
    }
}
