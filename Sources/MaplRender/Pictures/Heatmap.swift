import MaplProtocol
import MaplCore

/// A matrix drawn as grey levels with its value range — `heatmap(W)`. Large matrices are averaged down to at
/// most `maxColumns`×`maxRows·2` pixels so they fit the pane.
public enum Heatmap {
    public static func render(_ values: [Float], rows: Int, columns: Int, maxColumns: Int = 60, maxRows: Int = 20,
                              style: GreyStyle, title: String? = nil) -> [String] {
        let finite = values.filter { $0.isFinite }
        return render(HeatmapData(rows: rows, columns: columns, values: values, sourceRows: rows, sourceColumns: columns,
                                  min: finite.min() ?? 0, max: finite.max() ?? 0),
                      maxColumns: maxColumns, maxRows: maxRows, style: style, title: title)
    }

    /// Draws a `heatmap` event's matrix, its size and range as the event gives them.
    public static func render(_ data: HeatmapData, maxColumns: Int = 60, maxRows: Int = 20, style: GreyStyle, title: String? = nil,
                              ascii: Bool = false) -> [String] {
        let p = picture(data, maxColumns: maxColumns, maxRows: maxRows, style: style, title: title, ascii: ascii)
        return style == .halfBlocks ? p.ansiLines : p.lines
    }

    /// The matrix in at most `maxColumns` columns and `maxRows` grey rows, with the title above and the
    /// size and range line under it.
    /// With `fill`, a matrix smaller than the space is enlarged by the largest whole factor that fits, each
    /// entry as many columns wide as pixel rows tall (square), so it fills a pane (the notebook's).
    public static func picture(_ data: HeatmapData, maxColumns: Int = 60, maxRows: Int = 20, style: GreyStyle, title: String? = nil,
                               ascii: Bool = false, fill: Bool = false) -> Picture {
        let values = data.values, rows = data.rows, columns = data.columns
        guard rows > 0, columns > 0, values.count >= rows * columns else { return Picture(lines: ["(empty matrix)"]) }
        let maxColumns = Swift.max(maxColumns, 1), maxRows = Swift.max(maxRows, 1)
        let outColumns = min(columns, maxColumns), outRows = min(rows, maxRows * 2)
        var pixels = GreyImage.downsample(values, rows: rows, columns: columns, toRows: outRows, columns: outColumns)
        // Small matrices are enlarged so every entry stays visible: each row gets a text row of its own (two
        // pixel rows, as one text row holds two) and each column up to four characters.
        let whole = max(1, min(maxColumns / max(outColumns, 1), (2 * maxRows) / max(outRows, 1)))
        let repeatRows = fill ? whole : (outRows <= maxRows ? 2 : 1)
        let repeatColumns = fill ? whole : max(1, min(4, maxColumns / max(outColumns, 1)))
        if repeatRows > 1 || repeatColumns > 1 {
            var enlarged: [Float] = []
            enlarged.reserveCapacity(outRows * repeatRows * outColumns * repeatColumns)
            for r in 0..<outRows {
                var row: [Float] = []
                for c in 0..<outColumns { row += repeatElement(pixels[r * outColumns + c], count: repeatColumns) }
                for _ in 0..<repeatRows { enlarged += row }
            }
            pixels = enlarged
        }
        let glyphs = Glyphs(ascii: ascii)
        var picture = Picture()
        if let title { picture.append(title) }
        picture.append(GreyImage.picture(pixels, rows: outRows * repeatRows, columns: outColumns * repeatColumns, style: style))
        picture.append("\(data.sourceRows)\(glyphs.times)\(data.sourceColumns)   min \(AxisFormat.label(Double(data.min)))  max \(AxisFormat.label(Double(data.max)))  (dark \(glyphs.arrow) light)")
        return picture
    }

    /// A tensor as a strip of at most `columns` cells and `rows` text rows — no title, no range line — for a
    /// large value shown beside its statistics (the stepper). Matrices keep their rows and columns (averaged
    /// down); other ranks are laid out as `heatmap` lays them out. Nil for an empty tensor.
    public static func mini(_ t: Tensor, columns: Int, rows: Int, style: GreyStyle) -> Picture? {
        let data = HeatmapData(t)
        guard data.rows > 0, data.columns > 0, data.values.count >= data.rows * data.columns, columns > 0, rows > 0 else { return nil }
        let outColumns = Swift.min(data.columns, columns), outRows = Swift.min(data.rows, 2 * rows)
        let pixels = GreyImage.downsample(data.values, rows: data.rows, columns: data.columns, toRows: outRows, columns: outColumns)
        return GreyImage.picture(pixels, rows: outRows, columns: outColumns, low: data.min, high: data.max, style: style)
    }
}

extension HeatmapData {
    /// A tensor as a matrix: rank 2 as it is, rank 0 and 1 as one row, higher ranks as rows of the last axis
    /// (with a note saying so); averaged down to at most `maxSide` a side. Its range is over the finite values.
    public init(_ t: Tensor) {
        var rows = 1, columns = Swift.max(t.count, 1)
        var note: String? = nil
        switch t.rank {
        case 2: rows = t.shape[0]; columns = t.shape[1]
        case 0: note = "(a scalar, shown as 1×1)"
        case 1: note = "(a [\(t.count)] tensor, shown as 1×\(t.count))"
        default:
            columns = t.shape[t.rank - 1]
            rows = columns == 0 ? 0 : t.count / columns
            note = "(a \(shapeString(t.shape)) tensor, shown as \(rows)×\(columns))"
        }
        var lo = Float.infinity, hi = -Float.infinity
        for x in t.scalars where x.isFinite { lo = Swift.min(lo, x); hi = Swift.max(hi, x) }
        if lo > hi { lo = 0; hi = 0 }
        let outRows = Swift.min(rows, HeatmapData.maxSide), outColumns = Swift.min(columns, HeatmapData.maxSide)
        let values = rows == outRows && columns == outColumns
            ? t.scalars
            : GreyImage.downsample(t.scalars, rows: rows, columns: columns, toRows: outRows, columns: outColumns)
        self.init(rows: outRows, columns: outColumns, values: values, sourceRows: rows, sourceColumns: columns,
                  min: lo, max: hi, note: note)
    }
}
