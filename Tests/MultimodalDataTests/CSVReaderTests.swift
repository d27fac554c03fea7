import Testing
import Tensors
@testable import MultimodalData

@Suite struct CSVReaderTests {
    func parse(_ text: String, header: CSVHeader = .auto, label: CSVLabelColumn = .last) throws -> CSVTable {
        try CSVReader.parse(Array(text.utf8), source: "t.csv", header: header, labelColumn: label)
    }

    @Test func headerIsDetectedAndStringLabelsBecomeSortedClasses() throws {
        let table = try parse("a,b,kind\n1,2.5,cat\n-3e1,4,dog\r\n5,6,cat\n\n")
        #expect(table.header == ["a", "b", "kind"])
        #expect(table.features.shape == [3, 2])
        #expect(table.features.values == [1, 2.5, -30, 4, 5, 6])
        guard case .multiClass(let classes, let names) = try table.multiClassLabels() else {
            Issue.record("expected multi-class labels")
            return
        }
        #expect(names == ["cat", "dog"])
        #expect(classes == [0, 1, 0])
    }

    @Test func numericFirstRowIsDataWithoutAHeader() throws {
        let table = try parse("1,2,0\n3,4,1\n", label: .last)
        #expect(table.header == nil)
        #expect(table.rowCount == 2)
        guard case .multiClass(let classes, let names) = try table.multiClassLabels() else { return }
        #expect(classes == [0, 1] && names == ["0", "1"])
    }

    @Test func quotedFieldsAndChosenLabelColumn() throws {
        let table = try parse("\"x\",label,y\n\"1.5\",\"a, b\",2\n3,c,4\n", label: .index(1))
        #expect(table.features.values == [1.5, 2, 3, 4])
        #expect(table.labelTexts == ["a, b", "c"])
    }

    @Test func nonNumberNamesRowAndColumn() {
        #expect { _ = try parse("a,b,l\n1,2,0\n3,x4,1\n") } throws: { message($0, mentions: "t.csv", "row 1", "line 3", "column 1", "'x4'") }
    }

    @Test func nanOrInfinityNamesTheRow() {
        #expect { _ = try parse("1,2,0\n3,nan,1\n") } throws: { message($0, mentions: "t.csv", "row 1", "column 1", "NaN") }
        #expect { _ = try parse("1,2,0\n3,inf,1\n") } throws: { message($0, mentions: "row 1", "infinite") }
    }

    @Test func raggedRowsAreReported() {
        #expect { _ = try parse("1,2,0\n3,1\n") } throws: { message($0, mentions: "row 1", "line 2", "2 columns, expected 3") }
        #expect { _ = try parse("1,2,0\n3,4,1,9\n") } throws: { message($0, mentions: "row 1", "more than 3 columns") }
    }

    @Test func emptyFileAndHeaderOnlyAreEmptyDatasets() {
        #expect { _ = try parse("\n\n") } throws: { message($0, mentions: "t.csv", "empty") }
        #expect { _ = try parse("a,b,label\n") } throws: { message($0, mentions: "t.csv", "no data row") }
    }

    @Test func integerLabelsWithAMissingClassAreRejected() throws {
        let table = try parse("1,0\n2,2\n3,0\n")
        #expect { _ = try table.multiClassLabels() } throws: { message($0, mentions: "t.csv", "class 1", "no sample") }
    }

    @Test func emptyFieldIsNotANumber() {
        #expect { _ = try parse("1,,0\n", header: .absent) } throws: { message($0, mentions: "row 0", "column 1") }
    }
}
