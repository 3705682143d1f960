import MaplRender

/// Plain text inside a pane: what an empty pane says, wrapped at word boundaries to its width.
enum PaneText {
    /// `lines` wrapped to `width`, dim, at most `height` rows.
    static func placeholder(_ lines: [String], width: Int, height: Int) -> Picture {
        Picture(rows: lines.flatMap { wrapWords($0, width: width) }.prefix(Swift.max(height, 0)).map { Picture.row($0, .axis) })
    }

    /// Splits `text` into rows of at most `width` terminal columns, breaking at spaces when it can.
    static func wrapWords(_ text: String, width: Int) -> [String] {
        Picture.wrapWords(text, width: width, columns: { DisplayWidth.of($0) })
    }
}
