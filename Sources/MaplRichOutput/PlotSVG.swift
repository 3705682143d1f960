import MaplProtocol
import MaplRender

/// `plot(...)` (and the live `fit` display's loss curves) as SVG: one polyline per run of finite points of
/// each series, in the series' colour, over round ticks; a point with a NaN or infinite coordinate breaks its
/// line and is counted in a note under the chart, as the terminal's plot does. A series of more than
/// `maxPoints` points is thinned to every k-th point (its last kept) so the document stays small.
enum PlotSVG {
    static let maxPoints = 2000

    static func svg(_ plot: PlotData, yLabel: String? = nil, xIntegers: Bool = false, xLowerBound: Double? = nil) -> String {
        var xs: [Double] = [], ys: [Double] = []
        var nonFinite = 0
        for s in plot.series {
            for (x, y) in zip(s.xs, s.ys) {
                if x.isFinite && y.isFinite { xs.append(x); ys.append(y) } else { nonFinite += 1 }
            }
        }
        var xLow = xs.min() ?? 0
        if let bound = xLowerBound, bound < xLow { xLow = bound }
        var chart = SVGChart(x: (xLow, xs.max() ?? 1), y: (ys.min() ?? 0, ys.max() ?? 1))
        chart.title = plot.title
        chart.xLabel = plot.xLabel
        chart.yLabel = yLabel
        // Whole-number ticks for an index axis (never 1.5 on an axis of epochs), unless it spans less than 2.
        chart.xIntegers = xIntegers || (xs.allSatisfy { $0 == $0.rounded() } && chart.xRange.high - chart.xRange.low >= 2)
        // As the terminal's plot: a legend tells several series apart; one needs none.
        if plot.series.count > 1 {
            chart.legend = plot.series.enumerated().map { (name: $1.name, colour: Colour.series($0)) }
        }
        if nonFinite > 0 { chart.notes.append(nonFinite == 1 ? "1 point not finite (a gap)" : "\(nonFinite) points not finite (gaps)") }
        var marks: [String] = []
        for (k, s) in plot.series.enumerated() {
            let colour = Colour.series(k).hex
            let n = Swift.min(s.xs.count, s.ys.count)
            let stride = Swift.max(1, (n + maxPoints - 1) / maxPoints)
            var run: [String] = []
            func close() {
                if run.count == 1 {
                    let xy = run[0].split(separator: ",")
                    marks.append("<circle class=\"series\" data-series=\"\(k)\" cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"2.5\" fill=\"\(colour)\"/>")
                } else if run.count > 1 {
                    marks.append("<polyline class=\"series\" data-series=\"\(k)\" points=\"\(run.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.75\" stroke-linejoin=\"round\"/>")
                }
                run = []
            }
            for i in 0..<n where i % stride == 0 || i == n - 1 {
                let x = s.xs[i], y = s.ys[i]
                guard x.isFinite, y.isFinite else { close(); continue }
                run.append(Markup.number(chart.x(x)) + "," + Markup.number(chart.y(y)))
            }
            close()
        }
        return chart.document(marks)
    }
}
