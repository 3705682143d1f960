import MaplRender

/// Draws the prompt: the pending lines of a multi-line cell (the first after the cell's prompt, the rest
/// after `...> `), then the edited line after its prompt, scrolled sideways so the cursor stays in view
/// (`<` or `«` at the left edge when text is hidden there, `>` or `»` at the right).
enum PromptView {
    /// Draws into the rows above and at `row`, within columns `x ..< x + width`; returns the cursor cell.
    static func draw(_ prompt: PromptState, pendingRows: Int, into grid: inout ScreenGrid, x: Int, row: Int, width: Int,
                     options: RenderOptions) -> (x: Int, y: Int) {
        let pending = prompt.pendingLines
        let shownPending = pending.suffix(pendingRows)
        for (k, line) in shownPending.enumerated() {
            let index = pending.count - shownPending.count + k
            let y = row - shownPending.count + k
            let lead = index == 0 ? prompt.cellPrompt : prompt.continuationPrompt
            let after = grid.write(lead, x: x, y: y, style: Theme.prompt(options), maxWidth: width)
            grid.write(line, x: after, y: y, maxWidth: x + width - after)
        }

        let textX = grid.write(prompt.prompt, x: x, y: row, style: Theme.prompt(options), maxWidth: width)
        let available = x + width - textX
        guard available >= 2 else { return (Swift.min(textX, x + width - 1), row) }
        let chars = Array(prompt.text)
        let cursor = Swift.min(Swift.max(prompt.cursor, 0), chars.count)
        let widths = chars.map { DisplayWidth.of($0) }
        let before = widths[0..<cursor].reduce(0, +)
        let leftMark: Character = options.ascii ? "<" : "«", rightMark: Character = options.ascii ? ">" : "»"

        // The first character shown: 0 when the cursor fits, else as far left as keeps the cursor (and one
        // free cell for it) inside the room left after the left mark.
        var start = 0
        if before + 1 > available {
            var used = 0
            start = cursor
            while start > 0 && used + widths[start - 1] <= available - 2 { start -= 1; used += widths[start] }
        }
        var column = textX
        if start > 0 {
            grid.write(String(leftMark), x: column, y: row, style: Theme.hint(options))
            column += 1
        }
        var cursorX = column
        var i = start
        while i < chars.count {
            let reservesMark = i + 1 < chars.count
            if column + widths[i] > x + width - (reservesMark ? 1 : 0) {
                grid.write(String(rightMark), x: x + width - 1, y: row, style: Theme.hint(options))
                break
            }
            if i == cursor { cursorX = column }
            column = grid.write(String(chars[i]), x: column, y: row)
            i += 1
        }
        if cursor >= i { cursorX = column }
        return (Swift.min(cursorX, x + width - 1), row)
    }
}
