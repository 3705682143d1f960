import MaplProtocol
import Foundation

/// A line plot with a labelled y axis, round x ticks and a legend — `plot(ys)`, the loss curves of `fit`.
/// Braille by default (each character 2×4 dots, series told apart by their stroke), or plain ASCII (one
/// marker per series: `*`, `o`, `+`, …).
///
///     2.3 ┤⡀
///         │⠈⢆
///     0.1 ┤  ⠉⠒⠤⣀⣀⣀
///         └──┬────┬─
///            20   40
///
/// Points with a NaN or infinite coordinate break the line and are counted in a note under the plot
/// ("3 points not finite (gaps at x = 5, 7, 9)"), never dropped silently. A series of more points than the
/// plot has pixel columns is drawn column by column (each column's lowest to highest point), so drawing
/// costs one pass over the points whatever their number.
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

    /// Where the x axis has its ticks.
    public enum XTicks {
        /// Round values; whole numbers when every x is whole (an index axis).
        case auto
        /// Whole numbers only (epochs).
        case integers
    }

    public var series: [Series]
    public var title: String?
    public var xLabel: String?
    public var xTicks: XTicks = .auto
    /// The x axis starts here when that is below the data (0 for training epochs).
    public var xLowerBound: Double?
    /// Always draw a legend, even for one series (the loss pane names its single curve).
    public var alwaysLegend = false
    /// A logarithmic y axis: ticks at the powers of ten in range; points at or below 0 are left out (and
    /// counted in a note).
    public var logY = false

    public init(_ series: [Series], title: String? = nil, xLabel: String? = nil) {
        self.series = series; self.title = title; self.xLabel = xLabel
    }

    /// Draws a `plot` event's series.
    public init(_ data: PlotData) {
        self.init(data.series.map { Series(name: $0.name, xs: $0.xs, ys: $0.ys) }, title: data.title, xLabel: data.xLabel)
    }

    /// Renders into `width`×`height` characters at most (axes, legend and notes included).
    public func render(width: Int = 60, height: Int = 15, ascii: Bool = false) -> [String] {
        picture(width: width, height: height, ascii: ascii).lines
    }

    /// The plot as a picture of at most `width`×`height` cells; at very small sizes the axes, then the
    /// legend and the notes give way to the curves.
    public func picture(width: Int, height: Int, ascii: Bool = false) -> Picture {
        guard !logY else { return logarithmic().picture(width: width, height: height, ascii: ascii) }
        let w = Swift.max(width, 1), h = Swift.max(height, 1)
        let glyphs = Glyphs(ascii: ascii)
        var range = Range(series)
        if isLogCopy {
            // Points at or below 0 were made gaps by the log: they are said as such, not as "not finite".
            range.nonFinite -= leftOutByLog
            if range.nonFinite == 0 { range.gapXs = [] }
        }
        // Rows go to the curves first, then the axes, the note about gaps, the legend and the title.
        var noteText = range.note(glyphs)
        if isLogCopy, leftOutByLog > 0 {
            let text = "\(leftOutByLog) point\(leftOutByLog == 1 ? "" : "s") \(glyphs.ascii ? "<=" : "≤") 0 left out (log scale)"
            noteText = noteText.map { $0 + "; " + text } ?? text
        }
        let note = noteText.map { Picture.wrapWords($0, width: w) } ?? []
        var remaining = h
        let axes = remaining >= 5 && w >= 12
        if axes { remaining -= 2 }
        let showNote = !note.isEmpty && remaining - note.count >= (axes ? 3 : 2)
        if showNote { remaining -= note.count }
        // The legend wraps onto as many rows as its entries need (a row at least while the curves keep 3).
        let legendIndent = axes ? ChartFrame.gutter(["-0.000"]) + 2 : 0
        var legendRows = (series.count > 1 || alwaysLegend) ? legend(ascii: ascii, indent: legendIndent, width: w) : []
        if remaining - legendRows.count < 3 { legendRows = Array(legendRows.prefix(Swift.max(remaining - 3, 0))) }
        let showLegend = !legendRows.isEmpty
        remaining -= legendRows.count
        let showTitle = title != nil && remaining >= 6
        if showTitle { remaining -= 1 }
        let canvasRows = Swift.max(remaining, 1)

        var picture = Picture()
        if showTitle, let title { picture.append(title) }
        guard var xMin = range.xMin, var xMax = range.xMax, let yLow = range.yMin, let yHigh = range.yMax else {
            picture.append("(nothing to plot)")
            for line in note { picture.append(line) }
            return picture.clipped(width: w, height: h)
        }
        if let lower = xLowerBound, lower < xMin { xMin = lower }
        if !(xMax > xMin) { xMax = xMin + 1 }
        var yMin = yLow, yMax = yHigh
        if !(yMax > yMin) {
            // One level: a band around it (0.1 of its size, or ±1 for 0), kept finite at the extremes.
            let d = yMin == 0 ? 1 : abs(yMin) * 0.1
            if (yMin + d).isFinite { yMax = yMin + d } else { yMin -= d }
            if !(yMax > yMin) { yMin -= 1; yMax += 1 }
        }

        // y labels: the extremes at the top and bottom rows, evenly spaced ones between on tall plots.
        let pixelsPerRow = ascii ? 1 : 4
        let pixelHeight = canvasRows * pixelsPerRow
        var yLabels: [(row: Int, text: String)] = []
        if axes, isLogCopy {
            // Powers of ten where they fall (log10 values); the extremes too when fewer than two are in range.
            func row(_ v: Double) -> Int { canvasRows - 1 - Int(((v - yMin) / (yMax - yMin) * Double(canvasRows - 1)).rounded()) }
            var powers = Array(Int(yMin.rounded(.up))...Swift.max(Int(yMin.rounded(.up)), Int(yMax.rounded(.down)))).map(Double.init).filter { $0 >= yMin && $0 <= yMax }
            if powers.count < 2 { powers = [yMin] + powers + [yMax] }
            for v in powers.sorted(by: >) where !yLabels.contains(where: { $0.row == row(v) }) {
                yLabels.append((row(v), AxisFormat.label(Foundation.pow(10, v))))
            }
        } else if axes {
            let count = Swift.min(Swift.max(canvasRows / 5 + 1, 2), 6)
            for k in 0..<count {
                let row = canvasRows == 1 ? 0 : k * (canvasRows - 1) / (count - 1)
                if yLabels.last?.row == row { continue }
                let value: Double
                if row == 0 { value = yMax } else if row == canvasRows - 1 { value = yMin } else {
                    let t = (Double(row * pixelsPerRow) + Double(pixelsPerRow - 1) / 2) / Double(Swift.max(pixelHeight - 1, 1))
                    value = yMax * (1 - t) + yMin * t
                }
                yLabels.append((row, AxisFormat.label(value)))
            }
        }
        let gutter = ChartFrame.gutter(yLabels.map(\.text))
        let canvasWidth = Swift.max(axes ? w - gutter - 2 : w, 1)

        let body: [[Picture.Cell]]
        let columnOf: (Double) -> Int
        if ascii {
            var canvas = ASCIICanvas(width: canvasWidth, height: canvasRows)
            draw(&canvas, xMin: xMin, xMax: xMax, yMin: yMin, yMax: yMax)
            body = (0..<canvas.height).map { canvas.cells(row: $0) }
            let scale = Scale(low: xMin, high: xMax, pixels: canvas.pixelWidth, flipped: false)
            columnOf = { scale.pixel($0) }
        } else {
            var canvas = BrailleCanvas(width: canvasWidth, height: canvasRows)
            draw(&canvas, xMin: xMin, xMax: xMax, yMin: yMin, yMax: yMax)
            body = (0..<canvas.height).map { canvas.cells(row: $0) }
            let scale = Scale(low: xMin, high: xMax, pixels: canvas.pixelWidth, flipped: false)
            columnOf = { scale.pixel($0) / 2 }
        }
        if !axes {
            picture.rows += body
        } else {
            let integers = xTicks == .integers || range.allWholeX
            let widest = Swift.max(AxisFormat.label(xMin).count, AxisFormat.label(xMax).count)
            let maxTicks = Swift.min(Swift.max(canvasWidth / (widest + 4), 1), 8)
            var ticks = AxisFormat.niceTicks(low: xMin, high: xMax, maxCount: maxTicks, integers: integers)
            if ticks.isEmpty && integers { ticks = AxisFormat.niceTicks(low: xMin, high: xMax, maxCount: maxTicks, integers: false) }
            let frame = ChartFrame(body: body, yLabels: yLabels, cornerLabel: nil,
                                   xTicks: ticks.map { (columnOf($0), AxisFormat.label($0)) }, xLabel: xLabel, glyphs: glyphs)
            picture.append(frame.picture(gutter: gutter))
        }
        if showLegend { picture.rows += axes ? legend(ascii: ascii, indent: gutter + 2, width: w).prefix(legendRows.count) : legendRows[...] }
        if showNote { for line in note { picture.append(line) } }
        return picture.clipped(width: w, height: h)
    }

    /// An exponential moving average of `ys` (each point `weight` of the average so far and the rest of itself,
    /// debiased at the start as TensorBoard's smoothing is), points that are not finite skipped (and kept as
    /// gaps): the trend under a noisy batch loss.
    public static func smoothed(_ ys: [Double], weight: Double = 0.9) -> [Double] {
        var smoother = Smoother(weight: weight)
        return ys.map { smoother.next($0) }
    }

    /// `smoothed` one point at a time, for a series that grows (the loss pane's, batch by batch).
    public struct Smoother: Sendable, Equatable {
        public let weight: Double
        private var average = 0.0, correction = 1.0
        public init(weight: Double = 0.9) { self.weight = weight }

        /// The smoothed value at `y` (NaN where `y` is not finite, leaving the average as it was).
        public mutating func next(_ y: Double) -> Double {
            guard y.isFinite else { return .nan }
            average = weight * average + (1 - weight) * y
            correction *= weight
            return average / (1 - correction)
        }
    }

    /// Set on the copy `logarithmic()` makes: its ys are log10 of the originals, `leftOutByLog` of them were ≤ 0.
    private var isLogCopy = false
    private var leftOutByLog = 0

    /// The plot with log10 of every y (points at or below 0 become gaps), drawn on a linear axis whose labels
    /// are the powers of ten.
    private func logarithmic() -> LinePlot {
        var copy = self
        copy.logY = false
        var leftOut = 0
        copy.series = series.map { s in
            var t = s
            t.ys = s.ys.map { y in
                if y > 0 { return Foundation.log10(y) }
                if !y.isNaN { leftOut += 1 }
                return .nan
            }
            return t
        }
        copy.isLogCopy = true
        copy.leftOutByLog = leftOut
        return copy
    }

    /// Each series' name and a sample of its stroke (its marker in ASCII), in its ink, on as many rows of
    /// `width` as they need (an entry is never split).
    private func legend(ascii: Bool, indent: Int, width: Int) -> [[Picture.Cell]] {
        var rows: [[Picture.Cell]] = []
        var row = Picture.row(String(repeating: " ", count: indent))
        var entries = 0
        for (k, s) in series.enumerated() {
            let sample = ascii ? String(ASCIICanvas.marker(k)) : LinePattern.forSeries(k).sample(cells: 6)
            let entry = Picture.row(s.name + " ") + Picture.row(sample, .series(k))
            if entries > 0 && row.count + 2 + entry.count > width {
                rows.append(row)
                row = Picture.row(String(repeating: " ", count: indent))
                entries = 0
            }
            if entries > 0 { row += Picture.row("  ") }
            row += entry
            entries += 1
        }
        rows.append(row)
        return rows
    }

    /// Draws every series on `raster`.
    private func draw<R: PlotRaster>(_ raster: inout R, xMin: Double, xMax: Double, yMin: Double, yMax: Double) {
        let px = Scale(low: xMin, high: xMax, pixels: raster.pixelWidth, flipped: false)
        let py = Scale(low: yMin, high: yMax, pixels: raster.pixelHeight, flipped: true)
        for (k, s) in series.enumerated() {
            let n = Swift.min(s.xs.count, s.ys.count)
            if n > 4 * raster.pixelWidth, LinePlot.isSorted(s.xs, n) {
                drawByColumns(&raster, s, n: n, series: k, px: px, py: py)
                continue
            }
            var phase = 0
            var previous: (Int, Int)? = nil
            for i in 0..<n {
                let x = s.xs[i], y = s.ys[i]
                guard x.isFinite && y.isFinite else { previous = nil; continue }
                let p = (px.pixel(x), py.pixel(y))
                if let q = previous { raster.line(q.0, q.1, p.0, p.1, series: k, phase: &phase) } else { raster.set(p.0, p.1, series: k) }
                previous = p
            }
        }
    }

    /// Values to pixel positions along one axis (y flipped: larger values higher up). Computed on halves of
    /// the values so that no finite range overflows; positions far outside are clamped to one pixel past
    /// either end, so converting to an integer cannot trap.
    struct Scale {
        let halfLow: Double, factor: Double, last: Int, flipped: Bool
        init(low: Double, high: Double, pixels: Int, flipped: Bool) {
            halfLow = low / 2
            factor = Double(pixels - 1) / (high / 2 - low / 2)
            last = pixels - 1
            self.flipped = flipped
        }
        @inline(__always) func pixel(_ v: Double) -> Int {
            var p = (v / 2 - halfLow) * factor
            if flipped { p = Double(last) - p }
            guard p.isFinite else { return -1 }
            if p <= -0.5 { return -1 }
            if p >= Double(last) + 0.5 { return last + 1 }
            return Int(p + 0.5)
        }
    }

    /// Many points in x order: each pixel column gets a vertical stroke from its lowest to its highest point,
    /// joined to the previous column unless a point that is not finite lies between them.
    private func drawByColumns<R: PlotRaster>(_ raster: inout R, _ s: Series, n: Int, series k: Int, px: Scale, py: Scale) {
        let pw = raster.pixelWidth
        var low = [Int](repeating: Int.max, count: pw), high = [Int](repeating: Int.min, count: pw)
        var first = [Int](repeating: 0, count: pw), last = [Int](repeating: 0, count: pw)
        var brokenBefore = [Bool](repeating: false, count: pw)
        var gap = false
        for i in 0..<n {
            let x = s.xs[i], y = s.ys[i]
            guard x.isFinite && y.isFinite else { gap = true; continue }
            let c = Swift.min(Swift.max(px.pixel(x), 0), pw - 1), r = py.pixel(y)
            if low[c] == Int.max { first[c] = r; brokenBefore[c] = gap }
            gap = false
            low[c] = Swift.min(low[c], r); high[c] = Swift.max(high[c], r); last[c] = r
        }
        var phase = 0
        var previous: Int? = nil
        for c in 0..<pw where low[c] != Int.max {
            if let p = previous, !brokenBefore[c] { raster.line(p, last[p], c, first[c], series: k, phase: &phase) }
            raster.line(c, low[c], c, high[c], series: k, phase: &phase)
            previous = c
        }
    }

    private static func isSorted(_ xs: [Double], _ n: Int) -> Bool {
        var previous = -Double.infinity
        for i in 0..<n where xs[i].isFinite {
            if xs[i] < previous { return false }
            previous = xs[i]
        }
        return true
    }

    /// The extent of the finite points, whether every x is whole, and the points that are not finite.
    private struct Range {
        var xMin: Double?, xMax: Double?, yMin: Double?, yMax: Double?
        var allWholeX = true
        var nonFinite = 0
        var gapXs: [Double] = []

        init(_ series: [Series]) {
            var x0 = Double.infinity, x1 = -Double.infinity, y0 = Double.infinity, y1 = -Double.infinity
            for s in series {
                for i in 0..<Swift.min(s.xs.count, s.ys.count) {
                    let x = s.xs[i], y = s.ys[i]
                    if x.isFinite && y.isFinite {
                        x0 = Swift.min(x0, x); x1 = Swift.max(x1, x); y0 = Swift.min(y0, y); y1 = Swift.max(y1, y)
                        if allWholeX && x != x.rounded() { allWholeX = false }
                    } else {
                        nonFinite += 1
                        if gapXs.count < 4 && x.isFinite { gapXs.append(x) }
                    }
                }
            }
            if x0 <= x1 { xMin = x0; xMax = x1; yMin = y0; yMax = y1 }
        }

        /// "3 points not finite (gaps at x = 5, 7, 9)".
        func note(_ glyphs: Glyphs) -> String? {
            guard nonFinite > 0 else { return nil }
            var text = nonFinite == 1 ? "1 point not finite (a gap" : "\(nonFinite) points not finite (gaps"
            if !gapXs.isEmpty {
                text += " at x = " + gapXs.prefix(3).map(AxisFormat.label).joined(separator: ", ")
                if nonFinite > 3 { text += ", " + glyphs.ellipsis }
            }
            return text + ")"
        }
    }
}
