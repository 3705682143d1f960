import MaplProtocol
/// A histogram drawn with eighth-block bars (or ASCII `_ = #`) over a count scale and a value axis —
/// `hist(x, bins=20)` and the notebook's weight pane.
///
///     412 ┤      ▅█▇▂
///         │    ▁▆████▆▁
///       0 └┬──────────┬
///          -0.3       0.3
///          n = 100480
///
/// The top of the chart is the fullest bin's count; a bin that holds anything shows at least a sliver.
public struct Histogram {
    public let counts: [Int]
    public let low: Double
    public let high: Double
    public let nonFinite: Int
    /// The count at the top of the chart when several histograms share one scale (else the fullest bin's).
    var sharedPeak: Int? = nil
    /// The width of the count labels when several histograms line up (else the fullest bin's digits).
    var sharedGutter: Int? = nil

    /// Bins `values` into `bins` equal-width bins over their range (NaN and infinities are counted apart).
    public init(_ values: [Float], bins: Int = 20) { self.init(HistogramData(binning: values, bins: bins)) }

    /// Draws bins already counted (a `hist` event).
    public init(_ data: HistogramData) {
        counts = data.counts; low = data.low; high = data.high; nonFinite = data.nonFinite
    }

    private static let blocks: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    private static let asciiBlocks: [Character] = [" ", "_", "_", "_", "=", "=", "=", "=", "#"]

    /// Bars `height` rows tall, each bin stretched to fill about `width` columns, over the axes and the total.
    public func render(height: Int = 6, width: Int? = nil, title: String? = nil, ascii: Bool = false) -> [String] {
        let area = Swift.max(width ?? counts.count, counts.count, 1)
        return (title.map { [$0] } ?? []) + layout(area: area, rows: Swift.max(height, 1), axes: true, total: true, ascii: ascii).lines
    }

    /// The histogram in at most `width`×`height` cells: bins stretched by a whole factor when there is room,
    /// neighbouring bins added together when there is not. Small sizes drop the total, then the axes.
    public func picture(width: Int, height: Int, ascii: Bool = false) -> Picture {
        let w = Swift.max(width, 1), h = Swift.max(height, 1)
        let axes = w >= 12 && h >= 4
        let total = axes && h >= 6
        let rows = Swift.max(axes ? h - 2 - (total ? 1 : 0) : h, 1)
        // The gutter holds the fullest shown bin's count, which depends on how many bins are merged.
        var gutter = axes ? (sharedGutter ?? String(counts.max() ?? 0).count) : 0
        var area = Swift.max(axes ? w - gutter - 2 : w, 1)
        for _ in 0..<3 where axes && sharedGutter == nil {
            let need = String(Histogram.merge(counts, into: area).max() ?? 0).count
            if need <= gutter { break }
            gutter = need
            area = Swift.max(w - gutter - 2, 1)
        }
        return layout(area: area, rows: rows, axes: axes, total: total, ascii: ascii).clipped(width: w, height: h)
    }

    /// Bars over `area` columns and `rows` rows, with the count scale and value axis when `axes`, and the
    /// total under them when `total`.
    private func layout(area: Int, rows: Int, axes: Bool, total: Bool, ascii: Bool) -> Picture {
        let shown = Histogram.merge(counts, into: area)
        let columnsPerBin = Swift.max(area / shown.count, 1)
        let barWidth = shown.count * columnsPerBin
        let peak = Swift.max(sharedPeak ?? shown.max() ?? 0, 1)
        let blocks = ascii ? Histogram.asciiBlocks : Histogram.blocks

        var body: [[Picture.Cell]] = []
        for row in stride(from: rows - 1, through: 0, by: -1) {
            var cells: [Picture.Cell] = []
            cells.reserveCapacity(barWidth)
            for c in shown {
                let eighths = Int((Double(c) / Double(peak) * Double(rows * 8)).rounded())
                let level = Swift.min(Swift.max(eighths - row * 8, 0), 8)
                let ch = (c > 0 && row == 0 && level == 0) ? blocks[1] : blocks[level]
                let cell = Picture.Cell(ch, ch == " " ? .text : .series(0))
                cells += repeatElement(cell, count: columnsPerBin)
            }
            body.append(cells)
        }
        guard axes else { return Picture(rows: body) }

        // Ticks at both ends of the value range, and at 0 when it lies inside (weights centre on it).
        var ticks: [(column: Int, label: String)] = [(0, AxisFormat.label(low)), (barWidth - 1, AxisFormat.label(high))]
        if low < 0 && high > 0 {
            let zero = Int((-low / (high - low) * Double(barWidth)).rounded(.down))
            if zero > 0 && zero < barWidth - 1 { ticks.insert((zero, "0"), at: 1) }
        }
        var totalText = "n = \(counts.reduce(0, +))"
        if nonFinite > 0 { totalText += ", \(nonFinite) not finite" }
        let peakLabel = String(sharedPeak ?? shown.max() ?? 0)
        let frame = ChartFrame(body: body, yLabels: [(0, peakLabel)], cornerLabel: "0", xTicks: ticks,
                               xLabel: total ? nil : totalText, glyphs: Glyphs(ascii: ascii))
        let gutter = Swift.max(sharedGutter ?? peakLabel.count, 1)
        var picture = frame.picture(gutter: gutter)
        if total { picture.append(String(repeating: " ", count: gutter + 2) + totalText, ink: .axis) }
        return picture
    }

    /// A histogram and its peers (`hist(a, b)`) stacked in `width`×`height`: each under its title (in its
    /// series' ink), all on one count scale and one value axis, so before and after compare bar by bar.
    public static func comparison(_ data: HistogramData, width: Int, height: Int, ascii: Bool = false) -> Picture {
        let all = [data] + data.peers
        let block = Swift.max(height / all.count, 2)
        // One gutter for all (wide enough for any merged bin: at most a histogram's whole count) and one peak.
        let gutter = String(all.map { $0.counts.reduce(0, +) }.max() ?? 0).count
        let area = Swift.max(width - gutter - 2, 1)
        let peak = all.map { Histogram.merge($0.counts, into: area).max() ?? 0 }.max() ?? 0
        var picture = Picture()
        for (k, d) in all.enumerated() {
            var h = Histogram(d)
            h.sharedPeak = peak
            h.sharedGutter = gutter
            picture.append(Picture(rows: [Picture.row(d.title ?? "", .series(k))]))
            picture.append(h.picture(width: width, height: block - 1, ascii: ascii))
            while picture.rows.count < (k + 1) * block { picture.rows.append([]) }
        }
        return picture.clipped(width: width, height: height)
    }

    /// Sums of neighbouring bins, in groups small enough that at most `columns` remain (never empty).
    static func merge(_ counts: [Int], into columns: Int) -> [Int] {
        let group = Swift.max((counts.count + columns - 1) / Swift.max(columns, 1), 1)
        guard group > 1 else { return counts.isEmpty ? [0] : counts }
        var shown: [Int] = []
        shown.reserveCapacity(counts.count / group + 1)
        var i = 0
        while i < counts.count {
            shown.append(counts[i..<Swift.min(i + group, counts.count)].reduce(0, +))
            i += group
        }
        return shown
    }
}
