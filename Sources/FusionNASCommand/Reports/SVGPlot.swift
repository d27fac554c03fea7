import Foundation
import Rendering

/// A line chart written as a standalone SVG file: loss curves, architecture weights over epochs,
/// metric against label fraction. No external tools; opens in any browser.
///
/// ```swift
/// var plot = SVGPlot(title: "Search loss", xLabel: "epoch", yLabel: "loss")
/// plot.add("train", points: [(1, 0.9), (2, 0.6)])
/// try plot.write(to: run.url(for: .lossPlot))
/// ```
/// Non-finite points are left out (a diverged loss must not break the chart).
public struct SVGPlot: Sendable {
    /// One named line.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        /// False for a scatter: points only, no line through them.
        public var connected = true
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var width: Int
    public var height: Int
    public private(set) var series: [Series] = []

    /// Distinguishable colours (Tableau 10), cycled.
    static let palette = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]

    public init(title: String, xLabel: String, yLabel: String, width: Int = 640, height: Int = 400) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.width = width
        self.height = height
    }

    /// Adds a line named `name` (shown in the legend).
    public mutating func add(_ name: String, points: [(x: Double, y: Double)]) {
        series.append(Series(name: name, points: points.filter { $0.x.isFinite && $0.y.isFinite }))
    }

    /// Adds points named `name` without a line through them (a scatter plot).
    public mutating func addScatter(_ name: String, points: [(x: Double, y: Double)]) {
        series.append(Series(name: name, points: points.filter { $0.x.isFinite && $0.y.isFinite }, connected: false))
    }

    /// Adds a line whose x values are 1, 2, 3, ... (epochs).
    public mutating func add(_ name: String, values: [Double]) {
        add(name, points: values.enumerated().map { (x: Double($0.offset + 1), y: $0.element) })
    }

    /// Writes ``render()`` to `url`.
    public func write(to url: URL) throws {
        try Data(render().utf8).write(to: url, options: .atomic)
    }

    /// The SVG document.
    public func render() -> String {
        let margin = (left: 64.0, right: 150.0, top: 40.0, bottom: 52.0)
        let plotWidth = Double(width) - margin.left - margin.right
        let plotHeight = Double(height) - margin.top - margin.bottom
        let all = series.flatMap(\.points)
        let xTicks = Self.niceTicks(all.map(\.x))
        let yTicks = Self.niceTicks(all.map(\.y))
        let (xLow, xHigh) = (xTicks.first!, xTicks.last!)
        let (yLow, yHigh) = (yTicks.first!, yTicks.last!)
        func px(_ x: Double) -> Double { margin.left + (x - xLow) / (xHigh - xLow) * plotWidth }
        func py(_ y: Double) -> Double { margin.top + (1 - (y - yLow) / (yHigh - yLow)) * plotHeight }

        var svg = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(Double(width) / 2))" y="22" text-anchor="middle" font-size="15">\(Self.escape(title))</text>

            """
        let bottom = margin.top + plotHeight
        svg += "<g class=\"axes\" stroke=\"#333\" fill=\"none\">"
        svg += "<line x1=\"\(f(margin.left))\" y1=\"\(f(bottom))\" x2=\"\(f(margin.left + plotWidth))\" y2=\"\(f(bottom))\"/>"
        svg += "<line x1=\"\(f(margin.left))\" y1=\"\(f(margin.top))\" x2=\"\(f(margin.left))\" y2=\"\(f(bottom))\"/></g>\n"
        svg += "<g class=\"x-ticks\" text-anchor=\"middle\">"
        for tick in xTicks {
            svg += "<line x1=\"\(f(px(tick)))\" y1=\"\(f(bottom))\" x2=\"\(f(px(tick)))\" y2=\"\(f(bottom + 5))\" stroke=\"#333\"/>"
            svg += "<text x=\"\(f(px(tick)))\" y=\"\(f(bottom + 18))\">\(Self.label(tick))</text>"
        }
        svg += "</g>\n<g class=\"y-ticks\" text-anchor=\"end\">"
        for tick in yTicks {
            svg += "<line x1=\"\(f(margin.left - 5))\" y1=\"\(f(py(tick)))\" x2=\"\(f(margin.left + plotWidth))\" y2=\"\(f(py(tick)))\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(f(margin.left - 8))\" y=\"\(f(py(tick) + 4))\">\(Self.label(tick))</text>"
        }
        svg += "</g>\n"
        svg += "<text x=\"\(f(margin.left + plotWidth / 2))\" y=\"\(height - 12)\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
        svg += "<text x=\"16\" y=\"\(f(margin.top + plotHeight / 2))\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 16 \(f(margin.top + plotHeight / 2)))\">\(Self.escape(yLabel))</text>\n"

        for (index, line) in series.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            let coordinates = line.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            svg += "<g class=\"series\"><title>\(Self.escape(line.name))</title>"
            if line.connected && line.points.count > 1 {
                svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(coordinates)\"/>"
            }
            for point in line.points {
                svg += "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"2.5\" fill=\"\(colour)\"/>"
            }
            svg += "</g>\n"
        }
        svg += "<g class=\"legend\">"
        for (index, line) in series.enumerated() {
            let y = margin.top + 8 + Double(index) * 18
            let x = margin.left + plotWidth + 16
            svg += "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 18))\" y2=\"\(f(y))\" "
                + "stroke=\"\(Self.palette[index % Self.palette.count])\" stroke-width=\"3\"/>"
            svg += "<text x=\"\(f(x + 24))\" y=\"\(f(y + 4))\">\(Self.escape(line.name))</text>"
        }
        svg += "</g>\n</svg>\n"
        return svg
    }

    /// Round tick values (1, 2 or 5 times a power of ten) spanning `values`; the first and last bound the axis.
    static func niceTicks(_ values: [Double], target: Int = 5) -> [Double] {
        guard var low = values.min(), var high = values.max() else { return [0, 0.25, 0.5, 0.75, 1] }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        let rough = (high - low) / Double(target)
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        let first = floor(low / step) * step
        let last = ceil(high / step) * step
        let count = Int(((last - first) / step).rounded())
        // Multiplying instead of accumulating keeps 0.1 + 0.2 style drift out of the labels.
        return (0...count).map { first + Double($0) * step }
    }

    /// A tick label without float noise: `0.3`, not `0.30000000000000004`.
    static func label(_ value: Double) -> String {
        let text = String(format: "%.6g", value)
        return text == "-0" ? "0" : text
    }

    /// The escaping rule every SVG the project writes shares (``XMLText/escaped(_:)``).
    static func escape(_ text: String) -> String { XMLText.escaped(text) }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
