import MaplRender

/// An RGB picture drawn in memory and written as a PNG by libpng (`PNG.rgb`): filled rectangles, grey
/// images scaled up by whole pixels, and text in `BitmapFont`. Drawing outside the canvas is clipped.
struct PixelCanvas {
    let width: Int
    let height: Int
    private(set) var pixels: [UInt8]

    /// A canvas of `width`×`height`, each side clamped to 1…4096 so no event can ask for gigabytes.
    init(width: Int, height: Int, background: Colour = .page) {
        self.width = Swift.min(Swift.max(width, 1), 4096)
        self.height = Swift.min(Swift.max(height, 1), 4096)
        pixels = [UInt8](repeating: 0, count: self.width * self.height * 3)
        fill(x: 0, y: 0, width: self.width, height: self.height, background)
    }

    mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ colour: Colour) {
        let x0 = Swift.max(x, 0), y0 = Swift.max(y, 0)
        let x1 = Swift.min(x + Swift.max(w, 0), width), y1 = Swift.min(y + Swift.max(h, 0), height)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            var i = (row * width + x0) * 3
            for _ in x0..<x1 {
                pixels[i] = colour.red; pixels[i + 1] = colour.green; pixels[i + 2] = colour.blue
                i += 3
            }
        }
    }

    /// A picture of `rows`×`columns` colours at (`x`, `y`), each one `scale`×`scale` pixels.
    mutating func blit(rows: Int, columns: Int, x: Int, y: Int, scale: Int, colour: (Int, Int) -> Colour) {
        for r in 0..<rows {
            for c in 0..<columns { fill(x: x + c * scale, y: y + r * scale, width: scale, height: scale, colour(r, c)) }
        }
    }

    /// `text` from its top-left corner at (`x`, `y`), each font pixel `scale`×`scale`; returns its width.
    @discardableResult
    mutating func text(_ text: String, x: Int, y: Int, scale: Int, _ colour: Colour = .ink) -> Int {
        var left = x
        for ch in text {
            for gy in 0..<BitmapFont.height {
                for gx in 0..<BitmapFont.width where BitmapFont.ink(ch, x: gx, y: gy) {
                    fill(x: left + gx * scale, y: y + gy * scale, width: scale, height: scale, colour)
                }
            }
            left += (BitmapFont.width + 1) * scale
        }
        return left - x
    }

    /// The PNG file; nil only if libpng fails.
    func png() -> [UInt8]? { PNG.rgb(pixels, width: width, height: height) }
}
