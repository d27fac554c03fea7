import Foundation
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

extension FuzzRegressionTests {
    /// A deflated NPZ member whose central directory declares 2 GB uncompressed for 73 compressed
    /// bytes; the reader allocated the 2 GB before inflating.
    @Test func implausibleUncompressedSizeIsAnErrorNotAnAllocation() throws {
        let base64 = "UEsDBBQAAAAIAPK5e11Fc/KbSQAAAEwAAAAFAAAAeC5ucHmb7BfqGxDJyGDFUK2eklqcXKRupaBuk2airqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RpGOpo6CrVcDAwN9gwMDA4AUEsBAhQDFAAAAAgA8rl7XUVz8ptJAAAATAAAgAUAAAAAAAAAAAAAAIABAAAAAHgubnB5UEsFBgAAAAABAAEAMwAAAGwAAAAAAA=="
        let bytes = [UInt8](Data(base64Encoded: base64)!)
        #expect { _ = try NPZReader.parse(bytes, source: "fuzz.npz") } throws: { message($0, mentions: "fuzz.npz", "implausible uncompressed size") }
    }
}
