import MaplRender

extension ScreenGrid {
    /// Draws `picture` into `rect` (clipped to it), each cell styled by its ink.
    mutating func draw(_ picture: Picture, in rect: Rect, options: RenderOptions) {
        guard !rect.isEmpty else { return }
        for (r, row) in picture.rows.prefix(rect.height).enumerated() {
            var x = rect.x
            let y = rect.y + r
            for cell in row {
                let w = DisplayWidth.of(cell.character)
                if x + w > rect.maxX { break }
                let ch = cell.character
                let text = ch.isASCII && (ch.asciiValue ?? 32) < 32 ? "?" : String(ch)
                self[x, y] = ScreenCell(text, Theme.ink(cell.ink, options))
                if w == 2 { self[x + 1, y] = ScreenCell("", Theme.ink(cell.ink, options)) }
                x += w
            }
        }
    }
}
