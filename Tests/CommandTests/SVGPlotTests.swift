import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import FusionNASCommand

/// Counts elements by name while checking the document parses.
private final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var texts: [String] = []
    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        counts[elementName, default: 0] += 1
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
}

@Suite struct SVGPlotTests {
    private func parse(_ svg: String) -> (ok: Bool, counter: ElementCounter) {
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        return (parser.parse(), counter)
    }

    @Test func chartIsWellFormedXMLWithSeriesLegendAndTicks() {
        var plot = SVGPlot(title: "Loss & accuracy <search>", xLabel: "epoch", yLabel: "loss")
        plot.add("train", values: [0.9, 0.6, 0.45, 0.4])
        plot.add("validation", points: [(1, 1.0), (2, .nan), (3, 0.7), (4, 0.65)])
        let svg = plot.render()
        let (ok, counter) = parse(svg)
        #expect(ok)
        #expect(counter.counts["svg"] == 1)
        #expect(counter.counts["polyline"] == 2)
        #expect(counter.counts["circle"] == 7)  // the NaN point is left out
        let joined = counter.texts.joined()  // entities arrive as separate pieces
        #expect(joined.contains("Loss & accuracy <search>"))
        #expect(joined.contains("train"))
        #expect(joined.contains("validation"))
        #expect(joined.contains("epoch"))
        #expect(svg.contains("class=\"legend\""))
        #expect((counter.counts["text"] ?? 0) >= 3 + 2 + 4)
    }

    @Test func emptyAndConstantSeriesStillRender() {
        let (emptyOK, _) = parse(SVGPlot(title: "t", xLabel: "x", yLabel: "y").render())
        #expect(emptyOK)
        var flat = SVGPlot(title: "t", xLabel: "x", yLabel: "y")
        flat.add("flat", points: [(0, 2), (1, 2)])
        let svg = flat.render()
        #expect(parse(svg).ok)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func ticksAreRoundNumbersSpanningTheData() {
        #expect(SVGPlot.niceTicks([0.03, 0.97]) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        #expect(SVGPlot.niceTicks([1, 50]).first == 0)
        #expect(SVGPlot.niceTicks([1, 50]).last == 50)
        #expect(SVGPlot.label(0.30000000000000004) == "0.3")
    }

    @Test func markdownTablePadsAlignsAndEscapes() {
        var table = MarkdownTable(headers: ["labels", "accuracy"], alignments: [.left, .right])
        table.addRow(["0.1", "0.912"])
        table.addRow(["a|b"])
        #expect(
            table.render() == """
                | labels | accuracy |
                | ------ | -------: |
                | 0.1    |    0.912 |
                | a\\|b   |          |

                """)
    }
}
