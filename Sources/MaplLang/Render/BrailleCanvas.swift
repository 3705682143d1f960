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
        var phase = 0
        line(x0, y0, x1, y1, pattern: .solid, phase: &phase)
    }

    /// Draws a line stroked with `pattern`; `phase` counts the pixels stepped so far and carries the dashes
    /// on from one segment of a polyline to the next.
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, pattern: LinePattern, phase: inout Int) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        var guardSteps = dx - dy + 2  // a line visits at most this many pixels
        while guardSteps > 0 {
            if pattern.isOn(phase) { set(x, y) }
            if x == x1 && y == y1 { break }
            phase += 1
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

/// How a curve is stroked, so several series in one monochrome plot stay apart: the first solid, then
/// dashed, dotted and dash-dotted; the legend shows the matching box-drawing symbol.
public enum LinePattern: Int, CaseIterable, Sendable {
    case solid, dashed, dotted, dashDot

    /// Whether the `step`-th pixel along the line is drawn.
    public func isOn(_ step: Int) -> Bool {
        switch self {
        case .solid: return true
        case .dashed: return step % 6 < 4
        case .dotted: return step % 3 == 0
        case .dashDot: return step % 9 < 4 || step % 9 == 6
        }
    }

    /// The legend's sample of the stroke.
    public var symbol: String {
        switch self {
        case .solid: return "─"
        case .dashed: return "┄"
        case .dotted: return "┈"
        case .dashDot: return "╌"
        }
    }

    /// The pattern of the `index`-th series.
    public static func forSeries(_ index: Int) -> LinePattern { allCases[index % allCases.count] }
}
