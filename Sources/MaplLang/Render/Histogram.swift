/// A histogram of values drawn with eighth-block bars — `hist(x, bins=20)` and the notebook's weight pane.
///
///     █▇▅▂▁
///     -0.3 ───────── 0.3      n = 100480
public struct Histogram {
    public let counts: [Int]
    public let low: Double
    public let high: Double

    /// Bins `values` into `bins` equal-width bins over their range (NaN and infinities are left out).
    public init(_ values: [Float], bins: Int = 20) { self.init(HistogramData(binning: values, bins: bins)) }

    /// Draws bins already counted (a `hist` event).
    public init(_ data: HistogramData) { counts = data.counts; low = data.low; high = data.high }

    private static let blocks: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Bars `height` rows tall, one column per bin (stretched to `width` when wider), then a labelled axis.
    public func render(height: Int = 6, width: Int? = nil, title: String? = nil) -> [String] {
        let bins = counts.count
        let columnsPerBin = max((width ?? bins) / max(bins, 1), 1)
        let peak = max(counts.max() ?? 0, 1)
        let h = max(height, 1)
        var lines: [String] = title.map { [$0] } ?? []
        for row in stride(from: h - 1, through: 0, by: -1) {
            var line = ""
            for c in counts {
                let eighths = Int((Double(c) / Double(peak) * Double(h * 8)).rounded())
                let level = min(max(eighths - row * 8, 0), 8)
                let ch = (c > 0 && row == 0 && level == 0) ? Histogram.blocks[1] : Histogram.blocks[level]
                line += String(repeating: ch, count: columnsPerBin)
            }
            lines.append(line)
        }
        let total = bins * columnsPerBin
        let lo = AxisFormat.label(low), hi = AxisFormat.label(high)
        let fill = max(total - lo.count - hi.count - 2, 1)
        lines.append(lo + " " + String(repeating: "─", count: fill) + " " + hi + "   n = \(counts.reduce(0, +))")
        return lines
    }
}
