import MaplProtocol
/// The frame around a chart's body — the labelled y axis on the left, the x axis with ticks under it and
/// its labels — shared by line plots and histograms so both read the same:
///
///     2.3 ┤⡀
///         │⠈⢆
///     0.1 ┤  ⠉⠒⠤⣀⣀⣀
///         └┬────────┬
///   epoch  1        50
struct ChartFrame {
    /// The chart itself, one row of cells per text row.
    var body: [[Picture.Cell]]
    /// Labels of body rows (row index, text).
    var yLabels: [(row: Int, text: String)]
    /// Written left of the axis corner (a histogram's count scale starts at "0" there).
    var cornerLabel: String?
    /// Tick columns within the body and their labels.
    var xTicks: [(column: Int, label: String)]
    /// Written after the x labels (`epoch`, `n = 100`).
    var xLabel: String?
    /// Whether to draw the x axis row and its label row.
    var axisRow = true
    var labelRow = true
    let glyphs: Glyphs

    /// The gutter width the y labels need.
    static func gutter(_ labels: [String]) -> Int { labels.reduce(0) { Swift.max($0, $1.count) } }

    /// The framed chart. `gutter` is the label column width (at least the widest label).
    func picture(gutter requested: Int) -> Picture {
        let gutter = Swift.max(requested, ChartFrame.gutter(yLabels.map(\.text) + [cornerLabel ?? ""]))
        let bodyWidth = body.first?.count ?? 0
        var labelAt: [Int: String] = [:]
        for l in yLabels { labelAt[l.row] = l.text }
        var picture = Picture()
        for (r, row) in body.enumerated() {
            let label = labelAt[r]
            var cells = Picture.row(AxisFormat.pad(label ?? "", gutter) + " ", .axis)
            cells.append(Picture.Cell(label == nil ? glyphs.vertical : glyphs.yTick, .axis))
            picture.rows.append(cells + row)
        }
        if axisRow {
            var axis = [Character](repeating: glyphs.horizontal, count: bodyWidth)
            for t in xTicks where t.column >= 0 && t.column < bodyWidth { axis[t.column] = glyphs.xTick }
            let corner = AxisFormat.pad(cornerLabel ?? "", gutter) + " " + String(glyphs.corner)
            picture.rows.append(Picture.row(corner + String(axis), .axis))
        }
        if labelRow {
            // Labels centred under their ticks; one that would touch the previous is left out.
            var line = [Character](repeating: " ", count: bodyWidth)
            var free = 0
            for t in xTicks.sorted(by: { $0.column < $1.column }) {
                let text = Array(t.label)
                var start = t.column - (text.count - 1) / 2
                start = Swift.max(0, Swift.min(start, bodyWidth - text.count))
                guard start >= free, start + text.count <= bodyWidth else { continue }
                for (k, ch) in text.enumerated() { line[start + k] = ch }
                free = start + text.count + 1
            }
            // The axis's name goes left of the labels when the gutter has room ("epoch 0   1   2"), else
            // after them.
            var text: String
            if let xLabel, xLabel.count <= gutter + 1 {
                text = AxisFormat.pad(xLabel, gutter + 1) + " " + String(line)
            } else {
                text = String(repeating: " ", count: gutter + 2) + String(line)
                if let xLabel {
                    while text.last == " " { text.removeLast() }
                    text += (text.isEmpty ? "" : "  ") + xLabel
                }
            }
            picture.rows.append(Picture.row(text, .axis))
        }
        return picture
    }
}
