/// A matrix drawn as grey levels with its value range — `heatmap(W)`. Large matrices are averaged down to at
/// most `maxColumns`×`maxRows·2` pixels so they fit the pane.
public enum Heatmap {
    public static func render(_ values: [Float], rows: Int, columns: Int, maxColumns: Int = 60, maxRows: Int = 20,
                              style: GreyStyle, title: String? = nil) -> [String] {
        guard rows > 0, columns > 0 else { return ["(empty matrix)"] }
        let outColumns = min(columns, maxColumns), outRows = min(rows, maxRows * 2)
        var pooled = [Float](repeating: 0, count: outRows * outColumns)
        for r in 0..<outRows {
            let r0 = r * rows / outRows, r1 = max((r + 1) * rows / outRows, r0 + 1)
            for c in 0..<outColumns {
                let c0 = c * columns / outColumns, c1 = max((c + 1) * columns / outColumns, c0 + 1)
                var sum: Float = 0
                for i in r0..<r1 { for j in c0..<c1 { sum += values[i * columns + j] } }
                pooled[r * outColumns + c] = sum / Float((r1 - r0) * (c1 - c0))
            }
        }
        let finite = values.filter { $0.isFinite }
        let lo = finite.min() ?? 0, hi = finite.max() ?? 0
        var lines = title.map { [$0] } ?? []
        lines += GreyImage.render(pooled, rows: outRows, columns: outColumns, style: style)
        lines.append("\(rows)×\(columns)   min \(AxisFormat.label(Double(lo)))  max \(AxisFormat.label(Double(hi)))  (dark → light)")
        return lines
    }
}
