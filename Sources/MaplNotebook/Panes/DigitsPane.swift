import MaplProtocol
import MaplRender

/// The digits pane: the last `show(...)` — the image in grey, its caption and label, and with
/// `show(d, i, model=m)` the model's most probable classes as bars and "predicted N".
public struct DigitsPaneData: Sendable {
    public private(set) var image: ImageData?
    public private(set) var stamp = Stamp.next()

    public init() {}

    mutating func show(_ i: ImageData) {
        image = i
        stamp = Stamp.next()
    }

    func title(_ glyphs: Glyphs) -> String {
        guard let image else { return "digits" }
        return "digits" + (image.caption.map { " \(glyphs.horizontal) " + $0 } ?? "")
    }

    /// The grey style for the options: half blocks in grey colours, shades without colours, the ramp in ASCII.
    static func style(_ options: RenderOptions) -> GreyStyle {
        options.ascii ? .ascii : (options.color ? .halfBlocks : .shades)
    }

    func picture(width: Int, height: Int, options: RenderOptions) -> Picture {
        guard let image else {
            return PaneText.placeholder(["show(x) draws an image here;", "show(d, i, model=m) a dataset's sample with the model's prediction."],
                                        width: width, height: height)
        }
        let style = DigitsPaneData.style(options)
        if !image.sheet.isEmpty { return DigitsPaneData.sheet(image.sheet, width: width, height: height, style: style, ascii: options.ascii) }
        var text = Picture()
        if let label = image.label { text.append("label \(label)") }
        if let predicted = image.predicted {
            let right = image.label.map { $0 == String(predicted) } ?? nil
            text.append("predicted \(predicted)" + (right == true ? "  (right)" : right == false ? "  (wrong)" : ""), ink: .emphasis)
        }
        let bars = image.probabilities.map { p in
            ProbabilityBars.picture(p, top: Swift.min(p.count, 5), barWidth: 10, ascii: options.ascii)
        }
        let tile = [TileSheet.Tile(rows: image.rows, columns: image.columns, pixels: image.pixels, low: image.low, high: image.high)]
        // The picture as large as the pane allows: beside the text, or between the text and the bars —
        // whichever gives the larger image (beside on a tie).
        let textWidth = Swift.max(text.width, bars?.width ?? 0)
        let belowRows = text.rows.count + (bars?.rows.count ?? 0)
        let beside = TileSheet.layout(count: 1, rows: image.rows, columns: image.columns, captionRows: 0, width: width - textWidth - 2, height: height)
        let stacked = TileSheet.layout(count: 1, rows: image.rows, columns: image.columns, captionRows: 0, width: width, height: height - belowRows)
        if let beside, beside.pixelColumns >= (stacked?.pixelColumns ?? 0) {
            let grey = TileSheet.picture(tile, layout: beside, style: style)
            var right = text
            if let bars, right.rows.count + 1 < height { right.rows.append([]); right.append(bars) }
            var picture = Picture()
            for r in 0..<Swift.min(Swift.max(grey.rows.count, right.rows.count), height) {
                var row = r < grey.rows.count ? grey.rows[r] : []
                row += repeatElement(Picture.Cell(" "), count: grey.width - row.count + 2)
                if r < right.rows.count { row += right.rows[r] }
                picture.rows.append(row)
            }
            return picture.clipped(width: width, height: height)
        }
        var picture = text.clipped(width: width, height: height)
        if let stacked { picture.append(TileSheet.picture(tile, layout: stacked, style: style)) }
        if let bars { picture.append(bars) }
        return picture.clipped(width: width, height: height)
    }

    /// Several samples as a grid filling the pane, each with its label (and prediction, marked when wrong)
    /// under it.
    static func sheet(_ images: [ImageData], width: Int, height: Int, style: GreyStyle, ascii: Bool) -> Picture {
        let tiles = images.map { TileSheet.Tile(sample: $0, ascii: ascii) }
        let rows = images.map(\.rows).max() ?? 1, columns = images.map(\.columns).max() ?? 1
        let captionRows = tiles.map(\.captions.count).max() ?? 0
        guard let layout = TileSheet.layout(count: tiles.count, rows: rows, columns: columns, captionRows: captionRows, width: width, height: height) else {
            return PaneText.placeholder(["\(images.count) images do not fit a pane this small;", "a larger pane (or fewer images) shows them."], width: width, height: height)
        }
        return TileSheet.picture(tiles, layout: layout, style: style).clipped(width: width, height: height)
    }
}
