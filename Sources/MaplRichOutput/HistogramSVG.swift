import MaplProtocol
import MaplRender

/// `hist(...)` as SVG: one bar per bin over the bins' range, counts on the y axis; a comparison
/// (`hist(a, b)`) draws each tensor's bars over the others half transparent, in its own colour, with a
/// legend. Values that are not finite are counted in a note, as the terminal's histogram does.
enum HistogramSVG {
    static func svg(_ h: HistogramData) -> String {
        let all = [h] + h.peers
        let highest = all.flatMap(\.counts).max() ?? 0
        var chart = SVGChart(x: (h.low, h.high), y: (0, Double(Swift.max(highest, 1))))
        chart.yIntegers = true
        chart.yLabel = "count"
        chart.title = h.peers.isEmpty ? h.title : nil
        if !h.peers.isEmpty { chart.legend = all.enumerated().map { (name: $1.title ?? "#\($0 + 1)", colour: Colour.series($0)) } }
        for one in all where one.nonFinite > 0 {
            chart.notes.append("\(one.nonFinite) not finite" + (one.title.map { " in \($0)" } ?? ""))
        }
        var marks: [String] = []
        for (k, one) in all.enumerated() {
            let n = one.counts.count
            guard n > 0 else { continue }
            let opacity = all.count > 1 ? "0.55" : "1"
            for (i, count) in one.counts.enumerated() where count > 0 {
                let lo = chart.x(one.low + (one.high - one.low) * Double(i) / Double(n))
                let hi = chart.x(one.low + (one.high - one.low) * Double(i + 1) / Double(n))
                let top = chart.y(Double(count)), base = chart.y(0)
                marks.append("<rect class=\"bin\" data-series=\"\(k)\" data-count=\"\(count)\" x=\"\(Markup.number(lo))\" y=\"\(Markup.number(top))\" width=\"\(Markup.number(Swift.max(hi - lo - 1, 0.5)))\" height=\"\(Markup.number(base - top))\" fill=\"\(Colour.series(k).hex)\" fill-opacity=\"\(opacity)\"/>")
            }
        }
        return chart.document(marks)
    }
}
