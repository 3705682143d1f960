import MaplRender
import MaplCore

/// A tensor of rank ≥ 3 in the stepper as pictures: a conv layer's feature maps `[N, C, H, W]` (sample 0's
/// C maps), its kernels `[out, 1, kh, kw]` or a batch of images `[N, 1, H, W]` (one picture each along the
/// first axis), `[C, H, W]` (one per C) — each drawn at the largest scale the room allows, all on one grey
/// range so their strengths compare, under a line saying which slices they are.
enum FeatureMaps {
    /// The most maps drawn.
    static let limit = 64

    /// Whether `t` is drawn as maps: rank 3 or 4 with images at least 2×2.
    static func applies(to t: Tensor) -> Bool {
        (t.rank == 3 || t.rank == 4) && t.shape[t.rank - 1] >= 2 && t.shape[t.rank - 2] >= 2 && t.count > 0
    }

    /// The slices drawn: their label and the offset of each in the row-major values.
    static func slices(_ t: Tensor) -> (label: String, offsets: [Int]) {
        let h = t.shape[t.rank - 2], w = t.shape[t.rank - 1], plane = h * w
        if t.rank == 4 && t.shape[1] > 1 {
            let n = Swift.min(t.shape[1], limit)
            return ("[0, 0…\(n - 1)]", (0..<n).map { $0 * plane })
        }
        let n = Swift.min(t.shape[0], limit)
        let stride = t.rank == 4 ? t.shape[1] * plane : plane
        return (t.rank == 4 ? "[0…\(n - 1), 0]" : "[0…\(n - 1)]", (0..<n).map { $0 * stride })
    }

    /// The maps in at most `width`×`height` cells (the label line included); empty when they do not fit.
    static func rows(_ t: Tensor, width: Int, height: Int, options: RenderOptions) -> [StyledRow] {
        guard applies(to: t), height >= 3, width >= 8 else { return [] }
        let h = t.shape[t.rank - 2], w = t.shape[t.rank - 1]
        let (label, offsets) = slices(t)
        let values = t.scalars
        var lo = Float.infinity, hi = -Float.infinity
        for offset in offsets { for v in values[offset..<(offset + h * w)] where v.isFinite { lo = Swift.min(lo, v); hi = Swift.max(hi, v) } }
        if lo > hi { lo = 0; hi = 0 }
        let tiles = offsets.map { TileSheet.Tile(rows: h, columns: w, pixels: Array(values[$0..<($0 + h * w)]), low: lo, high: hi) }
        guard let layout = TileSheet.layout(count: tiles.count, rows: h, columns: w, captionRows: 0, width: width, height: height - 1) else { return [] }
        let picture = TileSheet.picture(tiles, layout: layout, style: DigitsPaneData.style(options))
        let glyphs = Glyphs(ascii: options.ascii)
        let size = layout.scale >= 1 ? (layout.scale > 1 ? " scale \(layout.scale)" : "") : " at \(layout.pixelColumns)\(glyphs.times)\(layout.pixelRows)"
        let text = "\(tiles.count) maps \(label) \(h)\(glyphs.times)\(w)\(size), \(AxisFormat.label(Double(lo))) \(glyphs.arrow) \(AxisFormat.label(Double(hi)))"
        let head = StyledRow(StepperPane.fold(text, options), Theme.hint(options))
        return [head] + picture.rows.map { cells in
            var row = StyledRow()
            for cell in cells { row.append(String(cell.character), Theme.ink(cell.ink, options)) }
            return row
        }
    }
}
