import MaplProtocol
import MaplRender

/// The frame both SVG charts (line plots and histograms) draw in: a plot area with axes, round ticks labelled
/// as the terminal labels them (`AxisFormat`), a title, axis labels and a legend. Data coordinates map linearly
/// to the area (the y axis upwards); the marks are added by the chart as SVG elements.
struct SVGChart {
    static let width = 640.0, height = 400.0
    static let left = 72.0, right = 24.0, top = 40.0, bottom = 56.0

    var xRange: (low: Double, high: Double)
    var yRange: (low: Double, high: Double)
    var title: String?
    var xLabel: String?
    var yLabel: String?
    var xIntegers = false
    var yIntegers = false
    /// Series names and colours for the legend (none for a single unnamed mark).
    var legend: [(name: String, colour: Colour)] = []
    /// Lines of small print under the chart (points not finite, values outside the bins).
    var notes: [String] = []

    init(x: (low: Double, high: Double), y: (low: Double, high: Double)) {
        xRange = SVGChart.widened(x); yRange = SVGChart.widened(y)
    }

    /// A range with span: a constant value gets ±0.5 (±1 past 2⁵³, where ±0.5 is lost), a non-finite end 0…1.
    static func widened(_ r: (low: Double, high: Double)) -> (low: Double, high: Double) {
        guard r.low.isFinite, r.high.isFinite else { return (0, 1) }
        guard r.high > r.low else {
            let d = Swift.max(0.5, abs(r.low) * 1e-9)
            return (r.low - d, r.high + d)
        }
        return r
    }

    var plotWidth: Double { SVGChart.width - SVGChart.left - SVGChart.right - (legend.isEmpty ? 0 : 110) }
    var plotHeight: Double { SVGChart.height - SVGChart.top - SVGChart.bottom }

    func x(_ v: Double) -> Double {
        SVGChart.left + (v / 2 - xRange.low / 2) / (xRange.high / 2 - xRange.low / 2) * plotWidth
    }
    func y(_ v: Double) -> Double {
        SVGChart.top + plotHeight - (v / 2 - yRange.low / 2) / (yRange.high / 2 - yRange.low / 2) * plotHeight
    }

    /// The whole document with `marks` (SVG elements in data coordinates already mapped) inside the frame.
    func document(_ marks: [String]) -> String {
        let w = Markup.number(SVGChart.width), h = Markup.number(SVGChart.height + Double(notes.count) * 16)
        var svg = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" font-family=\"sans-serif\" font-size=\"12\">",
                   "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"]
        let x0 = SVGChart.left, y0 = SVGChart.top + plotHeight, x1 = SVGChart.left + plotWidth
        for t in AxisFormat.niceTicks(low: yRange.low, high: yRange.high, maxCount: 6, integers: yIntegers) {
            let py = Markup.number(y(t))
            svg.append("<g class=\"ytick\"><line x1=\"\(Markup.number(x0))\" y1=\"\(py)\" x2=\"\(Markup.number(x1))\" y2=\"\(py)\" stroke=\"#e6e6e6\"/>"
                       + "<text x=\"\(Markup.number(x0 - 6))\" y=\"\(py)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(Markup.escape(AxisFormat.label(t)))</text></g>")
        }
        for t in AxisFormat.niceTicks(low: xRange.low, high: xRange.high, maxCount: 8, integers: xIntegers) {
            let px = Markup.number(x(t))
            svg.append("<g class=\"xtick\"><line x1=\"\(px)\" y1=\"\(Markup.number(y0))\" x2=\"\(px)\" y2=\"\(Markup.number(y0 + 5))\" stroke=\"#222222\"/>"
                       + "<text x=\"\(px)\" y=\"\(Markup.number(y0 + 18))\" text-anchor=\"middle\">\(Markup.escape(AxisFormat.label(t)))</text></g>")
        }
        svg += marks
        svg.append("<path class=\"axes\" d=\"M\(Markup.number(x0)),\(Markup.number(SVGChart.top)) V\(Markup.number(y0)) H\(Markup.number(x1))\" fill=\"none\" stroke=\"#222222\"/>")
        if let title { svg.append("<text class=\"title\" x=\"\(Markup.number(SVGChart.width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">\(Markup.escape(title))</text>") }
        if let xLabel { svg.append("<text class=\"xlabel\" x=\"\(Markup.number(x0 + plotWidth / 2))\" y=\"\(Markup.number(y0 + 40))\" text-anchor=\"middle\">\(Markup.escape(xLabel))</text>") }
        if let yLabel {
            let cy = Markup.number(SVGChart.top + plotHeight / 2)
            svg.append("<text class=\"ylabel\" x=\"16\" y=\"\(cy)\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(cy))\">\(Markup.escape(yLabel))</text>")
        }
        for (k, entry) in legend.enumerated() {
            let ly = SVGChart.top + 8 + Double(k) * 18
            svg.append("<g class=\"legend\"><rect x=\"\(Markup.number(x1 + 12))\" y=\"\(Markup.number(ly - 5))\" width=\"14\" height=\"10\" fill=\"\(entry.colour.hex)\"/>"
                       + "<text x=\"\(Markup.number(x1 + 32))\" y=\"\(Markup.number(ly))\" dominant-baseline=\"middle\">\(Markup.escape(entry.name))</text></g>")
        }
        for (k, note) in notes.enumerated() {
            svg.append("<text class=\"note\" x=\"\(Markup.number(x0))\" y=\"\(Markup.number(SVGChart.height + Double(k) * 16 - 4))\" fill=\"#555555\">\(Markup.escape(note))</text>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }
}
