import MaplProtocol
import MaplRender
import MaplCore

/// `heatmap(W)` as a PNG: each entry a square of grey (the minimum black, the maximum white, as the terminal
/// and the handout draw it) scaled so the longer side is about 240 px, the note and the matrix's own size
/// above it, and beside it a grey scale bar with the maximum at its top and the minimum at its bottom.
enum HeatmapPicture {
    /// A small matrix's entries are large squares (a 2×3 matrix is 192 px wide), a 256-wide one is 1 px each.
    static func scale(_ h: HeatmapData) -> Int { ImagePicture.scale(rows: h.rows, columns: h.columns, target: 240, maxScale: 64) }

    /// Where the matrix sits: below the heading lines.
    static func placement(of h: HeatmapData) -> ImagePicture.Placement {
        ImagePicture.Placement(x: ImagePicture.margin, y: ImagePicture.margin + heading(h).count * ImagePicture.lineHeight, scale: scale(h))
    }

    static func heading(_ h: HeatmapData) -> [String] {
        (h.note.map { [$0] } ?? []) + ["\(h.sourceRows)×\(h.sourceColumns)"]
    }

    static func png(_ h: HeatmapData) -> [UInt8]? {
        guard ImagePicture.fits(h.values.count, rows: h.rows, columns: h.columns) else { return nil }
        let at = placement(of: h)
        let w = h.columns * at.scale, height = h.rows * at.scale
        let margin = ImagePicture.margin, textScale = ImagePicture.textScale
        let maxLabel = AxisFormat.label(Double(h.max)), minLabel = AxisFormat.label(Double(h.min))
        let barX = at.x + w + 16, barHeight = Swift.max(height, 3 * ImagePicture.lineHeight)
        let labelX = barX + 16 + 6
        let labelsWidth = Swift.max(BitmapFont.width(of: maxLabel, scale: textScale), BitmapFont.width(of: minLabel, scale: textScale))
        let headingWidth = heading(h).map { BitmapFont.width(of: $0, scale: textScale) }.max() ?? 0
        var canvas = PixelCanvas(width: Swift.max(labelX + labelsWidth, margin + headingWidth) + margin, height: at.y + barHeight + margin)
        for (k, line) in heading(h).enumerated() { canvas.text(line, x: margin, y: margin + k * ImagePicture.lineHeight, scale: textScale) }
        let levels = PNG.levels(h.values, low: h.min, high: h.max)
        canvas.blit(rows: h.rows, columns: h.columns, x: at.x, y: at.y, scale: at.scale) { r, c in .grey(levels[r * h.columns + c]) }
        // The scale bar: white (the maximum) at the top to black (the minimum) at the bottom.
        for y in 0..<barHeight {
            let level = UInt8((255 * Double(barHeight - 1 - y) / Double(Swift.max(barHeight - 1, 1))).rounded())
            canvas.fill(x: barX, y: at.y + y, width: 16, height: 1, .grey(level))
        }
        canvas.text(maxLabel, x: labelX, y: at.y, scale: textScale)
        canvas.text(minLabel, x: labelX, y: at.y + barHeight - BitmapFont.height * textScale, scale: textScale)
        return canvas.png()
    }
}
