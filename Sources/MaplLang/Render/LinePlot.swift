/// A braille line plot with a labelled y axis and x ticks — `plot(ys)`, the loss curves of `fit`.
///
///     2.3 ┤⡀
///         │⠈⢆
///     0.1 ┤  ⠉⠒⠤⣀⣀⣀
///         └┬────────┬
///          1        50
public struct LinePlot {
    /// One curve: a name for the legend and its points.
    public struct Series {
        public var name: String
        public var xs: [Double]
        public var ys: [Double]
        public init(name: String, xs: [Double], ys: [Double]) { self.name = name; self.xs = xs; self.ys = ys }
        /// Points at x = 1, 2, 3, … (epochs, steps).
        public init(name: String, ys: [Double]) { self.init(name: name, xs: ys.indices.map { Double($0 + 1) }, ys: ys) }
    }

    public var series: [Series]
    public var title: String?
    public var xLabel: String?

    public init(_ series: [Series], title: String? = nil, xLabel: String? = nil) {
        self.series = series; self.title = title; self.xLabel = xLabel
    }

    /// Draws a `plot` event's series.
    public init(_ data: PlotData) {
        self.init(data.series.map { Series(name: $0.name, xs: $0.xs, ys: $0.ys) }, title: data.title, xLabel: data.xLabel)
    }

    /// Renders into `width`×`height` characters (axes included).
    public func render(width: Int = 60, height: Int = 15) -> [String] {
        let points = series.flatMap { s in zip(s.xs, s.ys).filter { $0.0.isFinite && $0.1.isFinite } }
        var lines: [String] = []
        if let title { lines.append(title) }
        guard let first = points.first else { return lines + ["(nothing to plot)"] }
        var (xMin, xMax, yMin, yMax) = (first.0, first.0, first.1, first.1)
        for (x, y) in points { xMin = min(xMin, x); xMax = max(xMax, x); yMin = min(yMin, y); yMax = max(yMax, y) }
        if xMax == xMin { xMax = xMin + 1 }
        if yMax == yMin { yMax = yMin + (yMin == 0 ? 1 : abs(yMin) * 0.1) }

        let topLabel = AxisFormat.label(yMax), bottomLabel = AxisFormat.label(yMin)
        let gutter = max(topLabel.count, bottomLabel.count)
        let plotHeight = max(height - 2 - (title == nil ? 0 : 1), 2)
        let plotWidth = max(width - gutter - 2, 4)
        var canvas = BrailleCanvas(width: plotWidth, height: plotHeight)
        func px(_ x: Double) -> Int { Int(((x - xMin) / (xMax - xMin) * Double(canvas.pixelWidth - 1)).rounded()) }
        func py(_ y: Double) -> Int { Int(((yMax - y) / (yMax - yMin) * Double(canvas.pixelHeight - 1)).rounded()) }
        for (k, s) in series.enumerated() {
            let pattern = LinePattern.forSeries(k)
            var phase = 0
            var previous: (Int, Int)? = nil
            for (x, y) in zip(s.xs, s.ys) {
                guard x.isFinite && y.isFinite else { previous = nil; continue }
                let p = (px(x), py(y))
                if let q = previous { canvas.line(q.0, q.1, p.0, p.1, pattern: pattern, phase: &phase) } else { canvas.set(p.0, p.1) }
                previous = p
            }
        }
        for (r, row) in canvas.rows.enumerated() {
            let label = r == 0 ? topLabel : (r == plotHeight - 1 ? bottomLabel : "")
            let tick = label.isEmpty ? "│" : "┤"
            lines.append(AxisFormat.pad(label, gutter) + " " + tick + row)
        }
        // x axis: ticks at both ends and the middle, labels under them
        var axis = Array(repeating: Character("─"), count: plotWidth)
        let tickColumns = [0, plotWidth / 2, plotWidth - 1]
        for c in tickColumns { axis[c] = "┬" }
        lines.append(String(repeating: " ", count: gutter + 1) + "└" + String(axis))
        var labelRow = Array(repeating: Character(" "), count: plotWidth + 1)
        for (i, c) in tickColumns.enumerated() {
            let x = xMin + (xMax - xMin) * Double(c) / Double(max(plotWidth - 1, 1))
            let text = Array(AxisFormat.label(x))
            let start = i == 2 ? max(0, min(c - text.count + 1, labelRow.count - text.count)) : max(0, min(c, labelRow.count - text.count))
            for (k, ch) in text.enumerated() where start + k < labelRow.count { labelRow[start + k] = ch }
        }
        var xLine = String(repeating: " ", count: gutter + 1) + String(labelRow)
        if let xLabel { xLine += " " + xLabel }
        lines.append(xLine)
        if series.count > 1 {
            // A legend pairing each name with its stroke (the plot has no colour to tell them apart).
            let legend = series.enumerated().map { "\($1.name) \(LinePattern.forSeries($0).symbol)" }
            lines.append(String(repeating: " ", count: gutter + 2) + legend.joined(separator: "  "))
        }
        return lines
    }
}
