/// A matrix drawn as grey levels with its value range — `heatmap(W)`. Large matrices are averaged down to at
/// most `maxColumns`×`maxRows·2` pixels so they fit the pane.
public enum Heatmap {
    public static func render(_ values: [Float], rows: Int, columns: Int, maxColumns: Int = 60, maxRows: Int = 20,
                              style: GreyStyle, title: String? = nil) -> [String] {
        guard rows > 0, columns > 0, values.count >= rows * columns else { return ["(empty matrix)"] }
        let outColumns = min(columns, maxColumns), outRows = min(rows, maxRows * 2)
        var pixels = GreyImage.downsample(values, rows: rows, columns: columns, toRows: outRows, columns: outColumns)
        // Small matrices are enlarged so every entry stays visible: each row gets a text row of its own (two
        // pixel rows, as one text row holds two) and each column up to four characters.
        let repeatRows = outRows <= maxRows ? 2 : 1
        let repeatColumns = max(1, min(4, maxColumns / max(outColumns, 1)))
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
        let finite = values.filter { $0.isFinite }
        let lo = finite.min() ?? 0, hi = finite.max() ?? 0
        var lines = title.map { [$0] } ?? []
        lines += GreyImage.render(pixels, rows: outRows * repeatRows, columns: outColumns * repeatColumns, style: style)
        lines.append("\(rows)×\(columns)   min \(AxisFormat.label(Double(lo)))  max \(AxisFormat.label(Double(hi)))  (dark → light)")
        return lines
    }
}
