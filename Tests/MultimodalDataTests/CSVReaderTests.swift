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

    @Test func byteOrderMarkIsNotAHeader() throws {
        // Excel's "CSV UTF-8" starts with EF BB BF; it used to make row 0 look like a header.
        let table = try CSVReader.parse(TextFile.byteOrderMark + Array("1,2,0\n3,4,1\n".utf8), source: "t.csv")
        #expect(table.header == nil)
        #expect(table.features.values == [1, 2, 3, 4])
        #expect(table.labelTexts == ["0", "1"])
        let named = try CSVReader.parse(TextFile.byteOrderMark + Array("a,b,label\n1,2,0\n".utf8), source: "t.csv")
        #expect(named.header == ["a", "b", "label"])
    }

    @Test func crlfAndLoneCarriageReturnsEndLines() throws {
        #expect(try parse("a,b,l\r\n1,2,0\r\n3,4,1\r\n").features.values == [1, 2, 3, 4])
        #expect(try parse("a,b,l\r1,2,0\r3,4,1\r").features.values == [1, 2, 3, 4])
        #expect { _ = try parse("a,b,l\r\r1,2,0\r3,x,1\r") } throws: { message($0, mentions: "row 1", "line 4", "'x'") }
    }

    @Test func semicolonOrTabSeparatedFilesAreRefused() throws {
        #expect { _ = try parse("a;b;label\n1,5;2;0\n") } throws: {
            "\($0)" == "t.csv: the first line is separated by semicolons (';'), not commas; save the file as comma-separated CSV (in Excel: \"CSV UTF-8 (Comma delimited)\")"
        }
        #expect { _ = try parse("\n1\t2\t0\n") } throws: { message($0, mentions: "t.csv", "separated by tabs, not commas") }
        // A semicolon inside quotes or beside commas is data, not a separator.
        #expect(try parse("\"a;b\",l\n1,0\n").header == ["a;b", "l"])
    }

    @Test func utf16IsRefused() {
        #expect { _ = try CSVReader.parse([0xFF, 0xFE, 0x31, 0x00], source: "t.csv") } throws: { message($0, mentions: "t.csv", "UTF-16", "save it as UTF-8") }
    }
}
