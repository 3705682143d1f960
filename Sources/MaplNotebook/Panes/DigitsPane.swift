import MaplLang

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
        var text = Picture()
        if let label = image.label { text.append("label \(label)") }
        if let predicted = image.predicted {
            let right = image.label.map { $0 == String(predicted) } ?? nil
            text.append("predicted \(predicted)" + (right == true ? "  (right)" : right == false ? "  (wrong)" : ""), ink: .emphasis)
        }
        let bars = image.probabilities.map { p in
            ProbabilityBars.picture(p, top: Swift.min(p.count, 5), barWidth: 10, ascii: options.ascii)
        }
        let style = DigitsPaneData.style(options)
        // Side by side when the text fits right of a picture at least 8 columns wide; else stacked.
        let textWidth = Swift.max(text.width, bars?.width ?? 0)
        if width - textWidth - 2 >= 8 {
            let grey = GreyImage.picture(of: image, maxColumns: width - textWidth - 2, maxRows: height, style: style)
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
        let room = height - picture.rows.count - Swift.min(bars?.rows.count ?? 0, Swift.max(height / 3, 0))
        if room >= 1 { picture.append(GreyImage.picture(of: image, maxColumns: width, maxRows: room, style: style)) }
        if let bars { picture.append(bars) }
        return picture.clipped(width: width, height: height)
    }
}
