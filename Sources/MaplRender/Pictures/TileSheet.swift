import MaplProtocol
/// Grey images laid out to fill a space: one digit, a grid of samples, a conv layer's kernels or feature
/// maps. Every image is drawn at the largest whole scale that lets all of them fit (each pixel `scale`
/// columns wide and `scale` pixel rows tall, two pixel rows a text row), in as many columns as that allows,
/// with its caption lines under it; when even scale 1 does not fit, the images are averaged down.
public enum TileSheet {
    /// One image and the lines under it (`label 7`, `pred 1`).
    public struct Tile: Sendable {
        public var rows: Int, columns: Int
        public var pixels: [Float]
        /// Black…white; nil: the image's own min…max.
        public var low: Float?, high: Float?
        public var captions: [(text: String, ink: Picture.Ink)]
        public init(rows: Int, columns: Int, pixels: [Float], low: Float? = nil, high: Float? = nil,
                    captions: [(text: String, ink: Picture.Ink)] = []) {
            self.rows = rows; self.columns = columns; self.pixels = pixels; self.low = low; self.high = high; self.captions = captions
        }

        /// A `show` sample with its label (or caption) under it, and the model's prediction, marked when wrong.
        public init(sample i: ImageData, ascii: Bool) {
            var captions: [(text: String, ink: Picture.Ink)] = []
            if let label = i.label { captions.append(("label \(label)", .text)) } else if let c = i.caption { captions.append((c, .text)) }
            if let p = i.predicted {
                let wrong = i.label.map { $0 != String(p) } ?? false
                captions.append(("pred \(p)" + (wrong ? (ascii ? " x" : " ✗") : ""), wrong ? .emphasis : .text))
            }
            self.init(rows: i.rows, columns: i.columns, pixels: i.pixels, low: i.low, high: i.high, captions: captions)
        }
    }

    /// How the tiles are laid out: the scale (below 1 when averaged down), the tiles' size in cells, the grid.
    public struct Layout: Equatable, Sendable {
        /// Pixels per image pixel along each side: 1, 2, 3, …; 0 when the images are averaged down.
        public var scale: Int
        /// One image's drawn size in pixels (columns are cells; rows are pixel rows, two a text row).
        public var pixelColumns: Int, pixelRows: Int
        public var gridColumns: Int, gridRows: Int
        /// Text rows one tile takes, its captions included.
        public var tileHeight: Int
    }

    /// Columns between tiles side by side.
    static let gap = 1

    /// The largest layout of `count` images of `rows`×`columns` with `captionRows` lines each that fits
    /// `width`×`height` cells, at most `maxScale`; nil when not even a 2×2-pixel image fits.
    public static func layout(count: Int, rows: Int, columns: Int, captionRows: Int, width: Int, height: Int,
                              maxScale: Int = .max) -> Layout? {
        guard count > 0, rows > 0, columns > 0, width > 0, height > 0 else { return nil }
        func fits(_ pc: Int, _ pr: Int, scale: Int) -> Layout? {
            let tileHeight = (pr + 1) / 2 + captionRows
            guard pc <= width, tileHeight <= height else { return nil }
            let across = Swift.min(count, (width + gap) / (pc + gap))
            let down = (count + across - 1) / across
            // Rows of tiles are separated by a blank row (images touching would read as one; a caption as the
            // next image's).
            let spacing = 1
            guard down * tileHeight + (down - 1) * spacing <= height else { return nil }
            return Layout(scale: scale, pixelColumns: pc, pixelRows: pr, gridColumns: across, gridRows: down, tileHeight: tileHeight)
        }
        // Whole scales from the largest that could fit one image down to 1.
        let most = Swift.max(Swift.min(width / columns, (2 * height) / rows, maxScale), 0)
        if most >= 1 {
            for s in stride(from: most, through: 1, by: -1) {
                if let l = fits(columns * s, rows * s, scale: s) { return l }
            }
        }
        // Averaged down: the widest image that fits, keeping the aspect.
        for pc in stride(from: columns - 1, through: 2, by: -1) {
            let pr = Swift.max(rows * pc / columns, 2)
            if let l = fits(pc, pr, scale: 0) { return l }
        }
        return nil
    }

    /// The tiles drawn at `layout` (from `layout(...)`): images left to right, top to bottom, captions under
    /// each, clipped to their tile's width.
    public static func picture(_ tiles: [Tile], layout l: Layout, style: GreyStyle) -> Picture {
        var picture = Picture()
        let spacing = 1
        for gridRow in 0..<l.gridRows {
            let members = tiles.dropFirst(gridRow * l.gridColumns).prefix(l.gridColumns)
            guard !members.isEmpty else { break }
            var block = Array(repeating: [Picture.Cell](), count: l.tileHeight)
            for (k, tile) in members.enumerated() {
                var cells = image(tile, layout: l, style: style).rows
                for (text, ink) in tile.captions { cells.append(Picture.row(fitted(text, l.pixelColumns), ink)) }
                for r in 0..<l.tileHeight {
                    var row = r < cells.count ? cells[r] : []
                    row += repeatElement(Picture.Cell(" "), count: Swift.max(l.pixelColumns - row.count, 0))
                    if k > 0 { block[r] += repeatElement(Picture.Cell(" "), count: gap) }
                    block[r] += row
                }
            }
            if gridRow > 0 { for _ in 0..<spacing { picture.rows.append([]) } }
            picture.rows += block
        }
        return picture
    }

    /// A caption in `width` columns: whole, else without its first word (`label 7` → `7`), else cut.
    static func fitted(_ text: String, _ width: Int) -> String {
        if text.count <= width { return text }
        if let space = text.firstIndex(of: " ") {
            let rest = text[text.index(after: space)...]
            if rest.count <= width { return String(rest) }
        }
        return String(text.prefix(width))
    }

    /// One image at the layout's size: enlarged by repeating pixels, or averaged down.
    static func image(_ t: Tile, layout l: Layout, style: GreyStyle) -> Picture {
        let values: [Float]
        if l.scale >= 1 {
            values = enlarge(t.pixels, rows: t.rows, columns: t.columns, by: l.scale)
        } else {
            values = GreyImage.downsample(t.pixels, rows: t.rows, columns: t.columns, toRows: l.pixelRows, columns: l.pixelColumns)
        }
        let rows = l.scale >= 1 ? t.rows * l.scale : Swift.min(l.pixelRows, t.rows)
        let columns = l.scale >= 1 ? t.columns * l.scale : Swift.min(l.pixelColumns, t.columns)
        return GreyImage.picture(values, rows: rows, columns: columns, low: t.low, high: t.high, style: style)
    }

    /// Each pixel repeated `s` times along both sides.
    static func enlarge(_ pixels: [Float], rows: Int, columns: Int, by s: Int) -> [Float] {
        guard s > 1 else { return Array(pixels.prefix(rows * columns)) }
        var out: [Float] = []
        out.reserveCapacity(rows * columns * s * s)
        for r in 0..<rows {
            var row: [Float] = []
            row.reserveCapacity(columns * s)
            for c in 0..<columns { row += repeatElement(pixels[r * columns + c], count: s) }
            for _ in 0..<s { out += row }
        }
        return out
    }
}
