import MaplRender

/// A row of text in runs of one style each, wrapped to a width — the stepper's rows are made of these.
struct StyledRow {
    struct Run {
        var text: String
        var style: TextStyle
        /// Not broken at its spaces when wrapping (a short note such as "(share 1 of 2)").
        var together = false
    }
    var runs: [Run] = []

    init(_ runs: [Run] = []) { self.runs = runs }
    init(_ text: String, _ style: TextStyle = .plain) { runs = [Run(text: text, style: style)] }

    mutating func append(_ text: String, _ style: TextStyle = .plain, together: Bool = false) {
        guard !text.isEmpty else { return }
        if let last = runs.last, last.style == style, last.together == together { runs[runs.count - 1].text += text }
        else { runs.append(Run(text: text, style: style, together: together)) }
    }

    var width: Int { runs.reduce(0) { $0 + DisplayWidth.of($1.text) } }
    var text: String { runs.map(\.text).joined() }

    /// Writes the row from column `x` of row `y`, clipped at `maxX`.
    func draw(into grid: inout ScreenGrid, x: Int, y: Int, maxX: Int) {
        var column = x
        for run in runs where column < maxX { column = grid.write(run.text, x: column, y: y, style: run.style, maxWidth: maxX - column) }
    }

    /// The row broken into rows of at most `width` columns, the later ones indented by `indent` — at two
    /// spaces or else one in the second half of a row when there is one, else between characters.
    func wrapped(width: Int, indent: Int) -> [StyledRow] {
        let width = Swift.max(width, 1)
        let indent = Swift.min(Swift.max(indent, 0), width / 2)
        var cells: [(ch: Character, style: TextStyle, w: Int, breaks: Bool)] = []
        for run in runs {
            for (k, ch) in run.text.enumerated() {
                // A run kept together may still be broken before it (at its leading spaces).
                let breaks = ch == " " && (!run.together || run.text.prefix(k + 1).allSatisfy { $0 == " " })
                cells.append((ch, run.style, DisplayWidth.of(ch), breaks))
            }
        }
        var rows: [StyledRow] = []
        var start = 0
        var first = true
        while start < cells.count || rows.isEmpty {
            let room = first ? width : width - indent
            // Breaks at two spaces (between "min 0.1" and "max 0.9") are preferred to breaks at one.
            var used = 0, end = start, lastSpace: Int? = nil, lastGap: Int? = nil
            while end < cells.count && used + cells[end].w <= room {
                if cells[end].breaks && used >= room / 2 {
                    lastSpace = end
                    if end > start, cells[end - 1].ch == " " { lastGap = end }
                }
                used += cells[end].w
                end += 1
            }
            if end < cells.count, let space = lastGap ?? lastSpace { end = space + 1 }
            if end == start && start < cells.count { end = start + 1 }
            var row = StyledRow()
            if !first { row.append(String(repeating: " ", count: indent)) }
            for c in cells[start..<end] { row.append(String(c.ch), c.style) }
            rows.append(row)
            start = end
            first = false
            // Spaces at a break are not carried to the next row.
            while start < cells.count && cells[start].ch == " " { start += 1 }
            if cells.isEmpty { break }
        }
        return rows
    }
}
