/// Lays the transcript out at a width and draws the part in view: entries wrap lazily, from the newest
/// up, only as far as the viewport reaches; entries above it are skipped by their cached row counts.
enum TranscriptLayout {
    /// Output lines sit this far in, under the input after its `[n] `.
    static let outputIndent = 4

    /// The columns before a line's text: `[12] ` for input, the indent for output, none for notes.
    static func prefixWidth(_ line: TranscriptLine, number: Int?) -> Int {
        switch line.kind {
        case .input, .inputContinuation: return number.map { "[\($0)] ".count } ?? 0
        case .note: return 0
        default: return outputIndent
        }
    }

    static func rowCount(of entry: TranscriptEntry, width: Int, ascii: Bool) -> Int {
        var rows = 0
        for i in 0..<entry.lineCount {
            let line = entry.line(i)
            rows += Wrap.rowCount(line, width: width, prefix: prefixWidth(line, number: entry.number), ascii: ascii)
        }
        return rows
    }

    /// One screen row of the transcript.
    struct Row {
        var prefix: String
        var prefixStyle: TextStyle
        var text: Substring
        var style: TextStyle
        /// Runs of their own style drawn instead of `text` (a matrix row, its signs coloured).
        var runs: [StyledRow.Run]? = nil
    }

    /// The rows of one line at `width`.
    static func rows(of line: TranscriptLine, number: Int?, width: Int, options: RenderOptions) -> [Row] {
        let prefix = prefixWidth(line, number: number)
        if let m = line.matrix {
            let indent = MatrixLine.indent
            let available = Swift.max(width - prefix - indent.count, 1)
            let runs = [StyledRow.Run(text: indent, style: .plain)]
                + m.grid.line(m.line, width: available, ascii: options.ascii).map { StyledRow.Run(text: $0.text, style: Theme.sign($0.kind, options)) }
            return [Row(prefix: String(repeating: " ", count: prefix), prefixStyle: .plain, text: "", style: .plain, runs: runs)]
        }
        let text = Wrap.text(line, ascii: options.ascii)
        let available = Swift.max(width - prefix, 1)
        let hanging = Wrap.hanging(text, kind: line.kind, available: available)
        let pieces = Wrap.rows(text, available: available, hanging: hanging)
        let style = Theme.line(line.kind, options)
        return pieces.enumerated().map { k, piece in
            if k == 0 && line.kind == .input, let number {
                return Row(prefix: "[\(number)] ", prefixStyle: Theme.cellNumber(options), text: piece, style: style)
            }
            return Row(prefix: String(repeating: " ", count: prefix + (k > 0 ? hanging : 0)), prefixStyle: style, text: piece, style: style)
        }
    }

    /// The row drawn under an entry's lines for its state of the moment: the live progress of a running fit,
    /// or "(queued)" for a cell waiting behind another. Never cached, never wrapped (it is fitted to the width).
    static func statusRow(_ entry: TranscriptEntry, width: Int, options: RenderOptions) -> Row? {
        let indent = String(repeating: " ", count: outputIndent)
        if let p = entry.progress {
            let text = ProgressLine.text(p, width: Swift.max(width - outputIndent, 1), ascii: options.ascii)
            return Row(prefix: indent, prefixStyle: .plain, text: Substring(text), style: Theme.progress(options))
        }
        if entry.isQueued { return Row(prefix: indent, prefixStyle: .plain, text: "(queued)", style: Theme.line(.note, options)) }
        return nil
    }

    /// Whether an entry has a status row.
    static func hasStatusRow(_ entry: TranscriptEntry) -> Bool { entry.progress != nil || entry.isQueued }

    /// The furthest the transcript scrolls in a view `height` rows tall: until its first row is at the top,
    /// with the bottom row given to the marker.
    static func maxOffset(totalRows: Int, height: Int) -> Int {
        totalRows > height ? totalRows - Swift.max(height - 1, 1) : 0
    }

    /// Rows of the whole transcript at `width` (cached per entry).
    static func totalRows(_ state: NotebookState, width: Int, ascii: Bool) -> Int {
        state.entries.reduce(0) { $0 + state.cache.rowCount($1, width: width, ascii: ascii) + (hasStatusRow($1) ? 1 : 0) }
    }

    /// Draws the transcript into `rect`, `state.scrollOffset` rows up from the newest (clamped to the top),
    /// with a marker row when not at the bottom. Returns the offset actually used.
    @discardableResult
    static func draw(_ state: NotebookState, into grid: inout ScreenGrid, rect: Rect, options: RenderOptions) -> Int {
        guard !rect.isEmpty else { return 0 }
        let width = rect.width
        var offset = Swift.max(state.scrollOffset, 0)
        if offset > 0 {
            // Only when scrolled: the top must not be scrolled past.
            offset = Swift.min(offset, maxOffset(totalRows: totalRows(state, width: width, ascii: options.ascii), height: rect.height))
        }
        let marker = offset > 0 && rect.height >= 2
        let height = rect.height - (marker ? 1 : 0)

        // Collect the rows in view, newest first: skip `offset` rows, then take `height`.
        var collected: [Row] = []
        collected.reserveCapacity(height)
        var skip = offset
        entries: for entry in state.entries.reversed() {
            let lineRows = state.cache.rowCount(entry, width: width, ascii: options.ascii)
            let status = hasStatusRow(entry)
            let total = lineRows + (status ? 1 : 0)
            if skip >= total { skip -= total; continue }
            if status {
                if skip > 0 { skip -= 1 } else if let row = statusRow(entry, width: width, options: options) {
                    collected.append(row)
                    if collected.count >= height { break entries }
                }
            }
            var i = entry.lineCount - 1
            while i >= 0 {
                let line = entry.line(i)
                let count = Wrap.rowCount(line, width: width, prefix: prefixWidth(line, number: entry.number), ascii: options.ascii)
                if skip >= count { skip -= count; i -= 1; continue }
                let lineRows = rows(of: line, number: entry.number, width: width, options: options)
                for row in lineRows.dropLast(skip).reversed() {
                    collected.append(row)
                    if collected.count >= height { break entries }
                }
                skip = 0
                i -= 1
            }
        }
        // Oldest at the top; a transcript shorter than the view starts at the top, as a terminal's does.
        for (k, row) in collected.reversed().enumerated() {
            let y = rect.y + k
            var x = grid.write(row.prefix, x: rect.x, y: y, style: row.prefixStyle, maxWidth: width)
            if let runs = row.runs {
                for run in runs where x < rect.maxX { x = grid.write(run.text, x: x, y: y, style: run.style, maxWidth: rect.maxX - x) }
                continue
            }
            grid.write(String(row.text), x: x, y: y, style: row.style, maxWidth: rect.maxX - x)
        }
        if marker {
            let text = " \(options.ascii ? "v" : "↓") \(offset) more line\(offset == 1 ? "" : "s") below "
            let y = rect.maxY - 1
            grid.fill(Rect(x: rect.x, y: y, width: width, height: 1), with: ScreenCell(" ", Theme.marker(options)))
            grid.write(text, x: rect.x, y: y, style: Theme.marker(options), maxWidth: width)
        }
        return offset
    }
}
