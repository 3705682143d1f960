/// A drawing surface of braille characters: each character cell holds a 2×4 grid of dots, so a canvas of
/// `width`×`height` cells has `2·width`×`4·height` pixels. Line plots draw on it (as Julia's UnicodePlots does).
public struct BrailleCanvas {
    public let width: Int
    public let height: Int
    private var cells: [UInt8]

    public init(width: Int, height: Int) {
        self.width = max(width, 1); self.height = max(height, 1)
        cells = [UInt8](repeating: 0, count: self.width * self.height)
    }

    /// Pixel extent.
    public var pixelWidth: Int { width * 2 }
    public var pixelHeight: Int { height * 4 }

    /// The dot bit for column 0/1 and row 0…3 inside a cell (Unicode's braille numbering).
    private static let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets the pixel at (x, y), y counted from the top; pixels outside are ignored.
    public mutating func set(_ x: Int, _ y: Int) {
        guard x >= 0, y >= 0, x < pixelWidth, y < pixelHeight else { return }
        cells[(y / 4) * width + x / 2] |= BrailleCanvas.bits[x % 2][y % 4]
    }

    /// Draws a straight line between two pixels (Bresenham).
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        var guardSteps = dx - dy + 2  // a line visits at most this many pixels
        while guardSteps > 0 {
            set(x, y)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
            guardSteps -= 1
        }
    }

    /// Whether any dot is set in cell (column, row).
    public func isEmpty(column: Int, row: Int) -> Bool { cells[row * width + column] == 0 }

    /// The canvas as `height` strings of `width` characters (blank cells as spaces).
    public var rows: [String] {
        (0..<height).map { r in
            String(String.UnicodeScalarView((0..<width).map { c in
                let bits = cells[r * width + c]
                return bits == 0 ? " " : Unicode.Scalar(0x2800 + UInt32(bits)) ?? " "
            }))
        }
    }
}
