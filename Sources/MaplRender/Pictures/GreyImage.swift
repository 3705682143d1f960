import MaplProtocol
/// How grey levels are drawn: 24-bit grey half blocks for terminals, a plain ASCII ramp for files, pipes
/// and `--ascii`, or Unicode shades for a terminal without colours.
public enum GreyStyle: Sendable {
    /// Each character is an upper half block "▀" whose foreground is the upper pixel and background the lower
    /// one, both in 256 grey levels (24-bit colour escapes): two pixel rows per text row.
    case halfBlocks
    /// A ten-step ramp ` .:-=+*#%@`, averaging two pixel rows per text row so the aspect stays square.
    case ascii
    /// Five shades ` ░▒▓█`, averaging two pixel rows per text row: grey without colour.
    case shades
}

/// Renders a matrix of intensities (an MNIST digit, a weight matrix as a heatmap) as text.
public enum GreyImage {
    static let ramp: [Character] = Array(" .:-=+*#%@")
    static let shades: [Character] = Array(" ░▒▓█")

    /// `pixels` is row-major `rows`×`columns`; values are mapped linearly from `low…high` to black…white.
    public static func render(_ pixels: [Float], rows: Int, columns: Int, low: Float? = nil, high: Float? = nil,
                              style: GreyStyle) -> [String] {
        let p = picture(pixels, rows: rows, columns: columns, low: low, high: high, style: style)
        return style == .halfBlocks ? p.ansiLines : p.lines
    }

    /// The image as a picture: one cell per pixel column and two pixel rows per text row.
    public static func picture(_ pixels: [Float], rows: Int, columns: Int, low: Float? = nil, high: Float? = nil,
                               style: GreyStyle) -> Picture {
        guard rows > 0, columns > 0, pixels.count >= rows * columns else { return Picture(lines: ["(empty image)"]) }
        var dataLow = Float.infinity, dataHigh = -Float.infinity
        if low == nil || high == nil {
            for v in pixels.prefix(rows * columns) where v.isFinite { dataLow = Swift.min(dataLow, v); dataHigh = Swift.max(dataHigh, v) }
        }
        // UnitScale maps in Double: a constant picture (2²⁴ or 1e9 alike, where `lo + 1 == lo` in float32) is
        // black, and no level is NaN.
        let lo = Double(low ?? (dataLow.isFinite ? dataLow : 0)), hi = Double(high ?? (dataHigh.isFinite ? dataHigh : 1))
        func level(_ r: Int, _ c: Int) -> Float {
            r < rows ? Float(UnitScale.fraction(Double(pixels[r * columns + c]), from: lo, to: hi)) : 0
        }
        var picture = Picture()
        picture.rows.reserveCapacity((rows + 1) / 2)
        for r in stride(from: 0, to: rows, by: 2) {
            var row: [Picture.Cell] = []
            row.reserveCapacity(columns)
            for c in 0..<columns {
                let top = level(r, c), bottom = r + 1 < rows ? level(r + 1, c) : 0
                switch style {
                case .halfBlocks:
                    row.append(Picture.Cell("▀", .grey(top: top, bottom: bottom)))
                case .ascii, .shades:
                    let marks = style == .ascii ? ramp : shades
                    let v = Double(top + bottom) / 2
                    row.append(Picture.Cell(marks[Swift.min(Int(v * Double(marks.count - 1) + 0.5), marks.count - 1)]))
                }
            }
            picture.rows.append(row)
        }
        return picture
    }

    /// An image averaged down to at most `maxColumns` columns and `maxRows` text rows (two pixel rows
    /// each), keeping its aspect; never enlarged.
    public static func picture(of image: ImageData, maxColumns: Int, maxRows: Int, style: GreyStyle) -> Picture {
        let rows = image.rows, columns = image.columns
        let scale = Swift.max(Double(columns) / Double(Swift.max(maxColumns, 1)), Double(rows) / Double(Swift.max(2 * maxRows, 1)), 1)
        let outRows = Swift.max(Int(Double(rows) / scale), 1), outColumns = Swift.max(Int(Double(columns) / scale), 1)
        let shown = downsample(image.pixels, rows: rows, columns: columns, toRows: outRows, columns: outColumns)
        return picture(shown, rows: outRows, columns: outColumns, low: image.low, high: image.high, style: style)
    }

    /// Averages a row-major `rows`×`columns` matrix down to `outRows`×`outColumns` (each output pixel the mean
    /// of the block it covers), so large images and matrices fit a pane. Sizes no larger than the input.
    public static func downsample(_ values: [Float], rows: Int, columns: Int, toRows outRows: Int, columns outColumns: Int) -> [Float] {
        guard rows > 0, columns > 0, values.count >= rows * columns else { return [] }
        let outR = min(max(outRows, 1), rows), outC = min(max(outColumns, 1), columns)
        if outR == rows && outC == columns { return Array(values.prefix(rows * columns)) }
        var pooled = [Float](repeating: 0, count: outR * outC)
        for r in 0..<outR {
            let r0 = r * rows / outR, r1 = max((r + 1) * rows / outR, r0 + 1)
            for c in 0..<outC {
                let c0 = c * columns / outC, c1 = max((c + 1) * columns / outC, c0 + 1)
                var sum: Float = 0
                for i in r0..<r1 { for j in c0..<c1 { sum += values[i * columns + j] } }
                pooled[r * outC + c] = sum / Float((r1 - r0) * (c1 - c0))
            }
        }
        return pooled
    }
}
