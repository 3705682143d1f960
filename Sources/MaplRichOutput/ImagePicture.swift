import MaplProtocol
import MaplRender
import MaplCore

/// `show(...)` as a PNG: the image scaled up by whole pixels to a legible size (a 28×28 digit is 168 px),
/// its caption above it, and beside it the label, the prediction (green when it matches the label, red when
/// not) and the three most probable classes as bars with their probabilities. A sheet (`show(d, 0..15)`) is a
/// grid of smaller tiles, each with its label and prediction under it. Grey levels are the handout's
/// (`PNG.levels`): the image's range black…white, or its min…max.
enum ImagePicture {
    static let margin = 8
    /// Text is the 3×5 font at twice its size, 16 px a line.
    static let textScale = 2
    static let lineHeight = BitmapFont.height * textScale + 6
    static let barWidth = 120

    /// Where the image sits in the PNG and how large each of its pixels is drawn.
    struct Placement: Equatable { var x: Int, y: Int, scale: Int }

    /// The whole-pixel scale that makes the longer side at least `target` pixels, within 1…`maxScale`.
    static func scale(rows: Int, columns: Int, target: Int, maxScale: Int = 16) -> Int {
        let side = Swift.max(rows, columns, 1)
        return Swift.min(Swift.max((target + side - 1) / side, 1), maxScale)
    }

    /// Whether `pixels` holds exactly `rows`×`columns` values (a product that overflows holds none).
    static func fits(_ count: Int, rows: Int, columns: Int) -> Bool {
        let (size, overflow) = rows.multipliedReportingOverflow(by: columns)
        return rows > 0 && columns > 0 && !overflow && size == count
    }

    static func placement(of image: ImageData) -> Placement {
        Placement(x: margin, y: margin + (image.caption == nil ? 0 : lineHeight), scale: scale(rows: image.rows, columns: image.columns, target: 168))
    }

    /// The PNG of one image or a sheet; nil when the pixels do not match the size.
    static func png(_ image: ImageData) -> [UInt8]? {
        image.sheet.isEmpty ? single(image)?.png() : sheet(image)?.png()
    }

    private static func single(_ image: ImageData) -> PixelCanvas? {
        guard fits(image.pixels.count, rows: image.rows, columns: image.columns) else { return nil }
        let at = placement(of: image)
        let w = image.columns * at.scale, h = image.rows * at.scale
        let panel = sidePanel(image)
        let panelX = at.x + w + 16
        var width = panel.isEmpty ? at.x + w + margin : panelX + (panel.map(\.width).max() ?? 0) + margin
        width = Swift.max(width, 2 * margin + BitmapFont.width(of: image.caption ?? "", scale: textScale))
        let height = Swift.max(at.y + h, at.y + panel.count * lineHeight) + margin
        var canvas = PixelCanvas(width: width, height: height)
        if let caption = image.caption { canvas.text(caption, x: margin, y: margin, scale: textScale) }
        draw(image, on: &canvas, at: at)
        for (k, row) in panel.enumerated() { row.draw(&canvas, panelX, at.y + k * lineHeight) }
        return canvas
    }

    private static func draw(_ image: ImageData, on canvas: inout PixelCanvas, at: Placement) {
        let levels = PNG.levels(image.pixels, low: image.low, high: image.high)
        canvas.blit(rows: image.rows, columns: image.columns, x: at.x, y: at.y, scale: at.scale) { r, c in
            .grey(levels[r * image.columns + c])
        }
    }

    /// One line of the panel beside an image: its width and how to draw it.
    private struct PanelRow {
        var width: Int
        var draw: (inout PixelCanvas, Int, Int) -> Void
    }

    /// The label, the prediction, and the top three classes as bars.
    private static func sidePanel(_ image: ImageData) -> [PanelRow] {
        var rows: [PanelRow] = []
        func words(_ text: String, _ colour: Colour = .ink) -> PanelRow {
            PanelRow(width: BitmapFont.width(of: text, scale: textScale)) { canvas, x, y in canvas.text(text, x: x, y: y, scale: textScale, colour) }
        }
        if let label = image.label { rows.append(words("label " + label)) }
        guard let p = image.probabilities, let predicted = image.predicted else { return rows }
        let verdict: Colour = image.label.map { $0 == String(predicted) ? .right : .wrong } ?? .ink
        rows.append(words("predicted \(predicted)", verdict))
        let ranking = ProbabilityBars.ranking(p, top: 3)
        let classWidth = BitmapFont.width(of: String(ranking.max() ?? 0), scale: textScale)
        for (rank, k) in ranking.enumerated() {
            let probability = p[k]
            let fraction = probability.isFinite ? Swift.min(Swift.max(probability, 0), 1) : 0
            let number = ProbabilityBars.format(probability)
            let width = classWidth + 6 + barWidth + 6 + BitmapFont.width(of: number, scale: textScale)
            rows.append(PanelRow(width: width) { canvas, x, y in
                canvas.text(String(k), x: x, y: y, scale: textScale)
                let barX = x + classWidth + 6
                canvas.fill(x: barX, y: y, width: barWidth, height: BitmapFont.height * textScale, Colour.grey(235))
                canvas.fill(x: barX, y: y, width: Int((fraction * Double(barWidth)).rounded()), height: BitmapFont.height * textScale,
                            rank == 0 ? verdict : Colour.series(0))
                canvas.text(number, x: barX + barWidth + 6, y: y, scale: textScale)
            })
        }
        return rows
    }

    /// Tiles in rows of at most 800 px, each with its label and prediction (`7 >1`) under it.
    private static func sheet(_ image: ImageData) -> PixelCanvas? {
        let tiles = image.sheet.filter { fits($0.pixels.count, rows: $0.rows, columns: $0.columns) }
        guard let rows = tiles.map(\.rows).max(), let columns = tiles.map(\.columns).max() else { return nil }
        let s = scale(rows: rows, columns: columns, target: 56)
        let captions = tiles.map(tileCaption)
        let cellWidth = Swift.max(columns * s, captions.map { BitmapFont.width(of: $0.text, scale: textScale) }.max() ?? 0) + 12
        let cellHeight = rows * s + 4 + lineHeight
        let perRow = Swift.max(1, Swift.min(tiles.count, 800 / cellWidth))
        let top = margin + (image.caption == nil ? 0 : lineHeight)
        let gridRows = (tiles.count + perRow - 1) / perRow
        let width = Swift.max(2 * margin + perRow * cellWidth, 2 * margin + BitmapFont.width(of: image.caption ?? "", scale: textScale))
        var canvas = PixelCanvas(width: width, height: top + gridRows * cellHeight + margin)
        if let caption = image.caption { canvas.text(caption, x: margin, y: margin, scale: textScale) }
        for (k, tile) in tiles.enumerated() {
            let x = margin + (k % perRow) * cellWidth, y = top + (k / perRow) * cellHeight
            draw(tile, on: &canvas, at: Placement(x: x, y: y, scale: s))
            let caption = captions[k]
            let used = canvas.text(caption.label, x: x, y: y + rows * s + 4, scale: textScale)
            canvas.text(caption.prediction, x: x + used, y: y + rows * s + 4, scale: textScale, caption.colour)
        }
        return canvas
    }

    private static func tileCaption(_ tile: ImageData) -> (label: String, prediction: String, colour: Colour, text: String) {
        let label = tile.label ?? ""
        guard let predicted = tile.predicted else { return (label, "", .ink, label) }
        let prediction = (label.isEmpty ? "" : " ") + ">\(predicted)"
        let colour: Colour = tile.label.map { $0 == String(predicted) ? .right : .wrong } ?? .ink
        return (label, prediction, colour, label + prediction)
    }
}
