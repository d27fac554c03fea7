import Foundation
import FusionNAS

extension GenotypeRenderer {
    /// A standalone SVG picture of `genotype`, laid out by this code (no Graphviz needed).
    ///
    /// Layered left to right: the input column (one box per modality), one column per cell (a box
    /// with its steps stacked top to bottom and its output node on the right), then the fused output.
    /// The heading carries the search space and the genotype's description, one line per cell;
    /// a legend at the bottom explains the node kinds. Hovering an arrow shows which operand it is.
    public func svg(_ genotype: Genotype) -> String {
        SVGGenotypeLayout(genotype: genotype, renderer: self).render()
    }
}

/// Coordinates of every node of the SVG picture, computed once, then drawn.
private struct SVGGenotypeLayout {
    struct Box {
        var x: Double, y: Double, width: Double, height: Double
        var right: Double { x + width }
        var midY: Double { y + height / 2 }
    }

    static let margin = 24.0
    static let nodeHeight = 30.0
    static let verticalGap = 14.0
    static let columnGap = 90.0
    static let header = 24.0
    static let padding = 12.0
    /// Room left of the steps for arrows from one step to a later step of the same cell.
    static let stepLane = 34.0
    static let characterWidth = 7.2
    /// Arrows that skip a column run in horizontal lanes above (operands) or below (into the fused
    /// output) every box, so they never pass behind a node they do not touch.
    static let laneSpacing = 7.0
    static let laneCount = 6

    let genotype: Genotype
    let renderer: GenotypeRenderer
    let graph: GenotypeGraph
    var headingLines: [(text: String, isProblem: Bool)] = []
    var inputs: [Int: Box] = [:]
    var modalityBoxes: [Box] = []
    var cellBoxes: [Box] = []
    var steps: [[Box]] = []
    var outputs: [Box] = []
    var fused = Box(x: 0, y: 0, width: 110, height: nodeHeight)
    var width = 0.0
    var height = 0.0
    var legendY = 0.0
    var topLanes: [Double] = []
    var bottomLanes: [Double] = []

    init(genotype: Genotype, renderer: GenotypeRenderer) {
        self.genotype = genotype
        self.renderer = renderer
        graph = GenotypeGraph(genotype)
        layOut()
    }

    static func textWidth(_ text: String) -> Double { Double(text.count) * characterWidth }

    /// The column an operand comes from: -1 for the inputs, k for cell k; nil when it names nothing.
    static func column(of source: GenotypeGraph.Source) -> Int? {
        switch source {
        case .input: -1
        case .cellOutput(let c): c
        case .step(let c, _): c
        case .invalid: nil
        }
    }

    /// Whether an arrow from column `source` into column `target` would cross a column in between.
    static func skips(from source: Int?, to target: Int) -> Bool {
        source.map { target - $0 > 1 } ?? false
    }

    private mutating func layOut() {
        let m = Self.margin, h = Self.nodeHeight, gap = Self.verticalGap, pad = Self.padding
        headingLines = renderer.descriptionLines(genotype).map { ($0, false) }
            + graph.problems.map { ("problem: " + $0, true) }
        let cellCount = genotype.cells.count
        let skippingOperands = graph.edges.filter { Self.skips(from: Self.column(of: $0.source), to: $0.cell) }.count
        let skippingOutputs = max(0, cellCount - 1)
        func laneSpace(_ count: Int) -> Double {
            count == 0 ? 0 : 10 + Double(min(count, Self.laneCount)) * Self.laneSpacing
        }
        let contentTop = m + 30 + Double(headingLines.count) * 18 + 16 + laneSpace(skippingOperands)

        // Column widths follow the longest label, so names are never clipped.
        let inputWidth = max(90, (genotype.inputs.map(Self.textWidth).max() ?? 0) + 24)
        let modalityWidth = max(inputWidth + 2 * pad, (graph.modalities.map { Self.textWidth($0.name) }.max() ?? 0) + 2 * pad)
        let stepWidth = max(110, (genotype.cells.flatMap(\.steps).map { Self.textWidth($0.primitive) }.max() ?? 0) + 24)
        let outputWidth = 96.0
        let cellWidth = Self.stepLane + stepWidth + 44 + outputWidth + pad

        let modalityHeights = graph.modalities.map { Self.header + Double($0.inputs.count) * (h + gap) - gap + pad }
        let inputColumnHeight = modalityHeights.reduce(0, +) + Double(max(0, modalityHeights.count - 1)) * gap
        let cellHeights = genotype.cells.map { Self.header + Double(max(1, $0.steps.count)) * (h + gap) - gap + pad }
        let contentHeight = max(([inputColumnHeight] + cellHeights).max() ?? h, h)

        var y = contentTop + (contentHeight - inputColumnHeight) / 2
        for (index, modality) in graph.modalities.enumerated() {
            modalityBoxes.append(Box(x: m, y: y, width: modalityWidth, height: modalityHeights[index]))
            for (row, input) in modality.inputs.enumerated() {
                inputs[input] = Box(
                    x: m + (modalityWidth - inputWidth) / 2, y: y + Self.header + Double(row) * (h + gap),
                    width: inputWidth, height: h)
            }
            y += modalityHeights[index] + gap
        }

        var x = m + modalityWidth + Self.columnGap
        for (k, cell) in genotype.cells.enumerated() {
            let top = contentTop + (contentHeight - cellHeights[k]) / 2
            let box = Box(x: x, y: top, width: cellWidth, height: cellHeights[k])
            cellBoxes.append(box)
            steps.append(cell.steps.indices.map { s in
                Box(x: x + Self.stepLane, y: top + Self.header + Double(s) * (h + gap), width: stepWidth, height: h)
            })
            let stepsMid = top + Self.header + (cellHeights[k] - Self.header - pad) / 2
            outputs.append(Box(x: box.right - pad - outputWidth, y: stepsMid - h / 2, width: outputWidth, height: h))
            x += cellWidth + Self.columnGap
        }
        fused.x = x
        fused.y = contentTop + contentHeight / 2 - h / 2
        topLanes = (0..<Self.laneCount).map { contentTop - 10 - Double($0) * Self.laneSpacing }
        bottomLanes = (0..<Self.laneCount).map { contentTop + contentHeight + 10 + Double($0) * Self.laneSpacing }
        legendY = contentTop + contentHeight + laneSpace(skippingOutputs) + 34

        let headingWidth = ([renderer.title(genotype)] + headingLines.map(\.text)).map { Self.textWidth($0) }.max() ?? 0
        width = max(fused.right + m, headingWidth + 2 * m, 640)
        height = legendY + 24
    }

    func render() -> String {
        var svg = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" \
            viewBox="0 0 \(f(width)) \(f(height))" font-family="sans-serif" font-size="12">
            <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" \
            orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>
            <rect width="100%" height="100%" fill="white"/>

            """
        svg += text(renderer.title(genotype), x: Self.margin, y: Self.margin + 14, extra: " font-size=\"16\" font-weight=\"bold\"")
        for (index, line) in headingLines.enumerated() {
            let colour = line.isProblem ? " fill=\"#c00\"" : " fill=\"#333\""
            svg += text(line.text, x: Self.margin, y: Self.margin + 40 + Double(index) * 18, extra: colour + " class=\"description\"")
        }

        // Containers first, arrows next, nodes last: arrows crossing a cell box stay visible, and
        // arrow heads end at node borders without being painted over.
        svg += "<g class=\"modalities\">"
        for (index, modality) in graph.modalities.enumerated() {
            let box = modalityBoxes[index]
            let colour = GenotypeRenderer.modalityColour(index)
            svg += rect(box, fill: "#f7f7f7", stroke: colour, radius: 8)
            svg += text(modality.name, x: box.x + box.width / 2, y: box.y + 16, extra: " text-anchor=\"middle\" font-weight=\"bold\"")
        }
        svg += "</g>\n<g class=\"cells\">"
        for (k, box) in cellBoxes.enumerated() {
            svg += rect(box, fill: "#fffaf5", stroke: "#f28e2b", radius: 8)
            svg += text("cell \(k)", x: box.x + 10, y: box.y + 16, extra: " font-weight=\"bold\"")
        }
        svg += "</g>\n<g class=\"edges\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.3\">"
        var topLane = 0
        for edge in graph.edges {
            guard let target = steps[safe: edge.cell]?[safe: edge.step] else { continue }
            let endY = target.midY + (edge.operand == 0 ? -6 : 6)
            let name = "\(sourceName(edge.source)) → cell \(edge.cell) step \(edge.step) (operand \(edge.operand + 1))"
            var lane: Double?
            if Self.skips(from: Self.column(of: edge.source), to: edge.cell) {
                lane = topLanes[topLane % Self.laneCount]
                topLane += 1
            }
            switch edge.source {
            case .input(let i):
                guard let source = inputs[i] else { continue }
                svg += arrow(from: (source.right, source.midY), to: (target.x, endY), title: name, lane: lane)
            case .cellOutput(let c):
                svg += arrow(from: (outputs[c].right, outputs[c].midY), to: (target.x, endY), title: name, lane: lane)
            case .step(let c, let s):
                // An arrow within one column bends out into the lane left of the steps.
                let source = steps[c][s]
                let bend = source.x - Self.stepLane + 4
                svg += "<path d=\"M \(f(source.x)) \(f(source.midY + 4)) C \(f(bend)) \(f(source.midY + 4)) \(f(bend)) \(f(endY)) \(f(target.x)) \(f(endY))\" "
                    + "marker-end=\"url(#arrow)\"><title>\(escape(name))</title></path>"
            case .invalid:
                continue  // listed in red under the heading instead
            }
        }
        for (k, cellSteps) in steps.enumerated() {
            for step in cellSteps {
                svg += arrow(from: (step.right, step.midY), to: (outputs[k].x, outputs[k].midY), title: "into cell \(k) output")
            }
            let lane = Self.skips(from: k, to: genotype.cells.count) ? bottomLanes[k % Self.laneCount] : nil
            svg += arrow(
                from: (outputs[k].right, outputs[k].midY), to: (fused.x, fused.midY), title: "cell \(k) into the fused output",
                lane: lane)
        }
        svg += "</g>\n<g class=\"nodes\">"
        for (index, modality) in graph.modalities.enumerated() {
            let colour = GenotypeRenderer.modalityColour(index)
            for input in modality.inputs {
                guard let box = inputs[input] else { continue }
                let used = graph.usedInputs.contains(input)
                svg += rect(box, fill: "white", stroke: used ? colour : "#999", radius: 6, dashed: !used)
                svg += label(genotype.inputs[input], in: box, colour: used ? "#000" : "#999")
            }
        }
        for (k, cell) in genotype.cells.enumerated() {
            for (s, step) in cell.steps.enumerated() {
                svg += "<g class=\"step\"><title>cell \(k) step \(s)</title>"
                svg += rect(steps[k][s], fill: "#fde9d4", stroke: "#c46a10", radius: 4)
                svg += label(step.primitive, in: steps[k][s], colour: "#000") + "</g>"
            }
            svg += rect(outputs[k], fill: "#eeeeee", stroke: "#666", radius: 15)
            svg += label("cell \(k) output", in: outputs[k], colour: "#000")
        }
        svg += rect(fused, fill: "#d9ead3", stroke: "#59a14f", radius: 15)
        svg += label("fused output", in: fused, colour: "#000")
        svg += "</g>\n"
        svg += legend()
        svg += "</svg>\n"
        return svg
    }

    private func legend() -> String {
        let items: [(fill: String, stroke: String, dashed: Bool, text: String)] = [
            ("white", GenotypeRenderer.palette[0], false, "input (grouped by modality)"),
            ("white", "#999", true, "input no step reads"),
            ("#fde9d4", "#c46a10", false, "fusion step, labelled by primitive"),
            ("#eeeeee", "#666", false, "cell output (its steps concatenated)"),
        ]
        var svg = "<g class=\"legend\">"
        var x = Self.margin
        for item in items {
            svg += rect(Box(x: x, y: legendY - 10, width: 22, height: 14), fill: item.fill, stroke: item.stroke, radius: 3, dashed: item.dashed)
            svg += text(item.text, x: x + 28, y: legendY + 1, extra: " fill=\"#333\"")
            x += 28 + Self.textWidth(item.text) + 24
        }
        return svg + "</g>\n"
    }

    private func sourceName(_ source: GenotypeGraph.Source) -> String {
        switch source {
        case .input(let i): genotype.inputs[i]
        case .cellOutput(let c): "cell \(c)"
        case .step(let c, let s): "cell \(c) step \(s)"
        case .invalid(let message): message
        }
    }

    /// A curve from `start` to `end`; with a `lane`, it climbs (or drops) to that height, runs
    /// straight, and comes back, so it clears the columns in between.
    private func arrow(from start: (Double, Double), to end: (Double, Double), title: String, lane: Double? = nil) -> String {
        let path: String
        if let lane {
            let bend = 25.0
            path = "M \(f(start.0)) \(f(start.1)) C \(f(start.0 + bend)) \(f(start.1)) \(f(start.0 + bend)) \(f(lane)) "
                + "\(f(start.0 + 2 * bend)) \(f(lane)) L \(f(end.0 - 2 * bend)) \(f(lane)) "
                + "C \(f(end.0 - bend)) \(f(lane)) \(f(end.0 - bend)) \(f(end.1)) \(f(end.0)) \(f(end.1))"
        } else {
            let pull = max(30, (end.0 - start.0) / 2)
            path = "M \(f(start.0)) \(f(start.1)) C \(f(start.0 + pull)) \(f(start.1)) \(f(end.0 - pull)) \(f(end.1)) "
                + "\(f(end.0)) \(f(end.1))"
        }
        return "<path d=\"\(path)\" marker-end=\"url(#arrow)\"><title>\(escape(title))</title></path>"
    }

    private func rect(_ box: Box, fill: String, stroke: String, radius: Double, dashed: Bool = false) -> String {
        "<rect x=\"\(f(box.x))\" y=\"\(f(box.y))\" width=\"\(f(box.width))\" height=\"\(f(box.height))\" rx=\"\(f(radius))\" "
            + "fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.5\"\(dashed ? " stroke-dasharray=\"4 3\"" : "")/>"
    }

    private func label(_ content: String, in box: Box, colour: String) -> String {
        text(content, x: box.x + box.width / 2, y: box.midY + 4, extra: " text-anchor=\"middle\" fill=\"\(colour)\"")
    }

    private func text(_ content: String, x: Double, y: Double, extra: String = "") -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\"\(extra)>\(escape(content))</text>\n"
    }

    private func escape(_ text: String) -> String { XMLText.escaped(text) }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}

extension Array {
    /// The element at `index`, or nil outside the array (hand-edited genotypes may index past the end).
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
