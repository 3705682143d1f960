import MaplProtocol
/// A surface line plots draw on, pixel by pixel: braille dots (`BrailleCanvas`) or ASCII markers
/// (`ASCIICanvas`). Each character cell remembers the series that drew last in it, for colour.
public protocol PlotRaster {
    /// Pixel extent.
    var pixelWidth: Int { get }
    var pixelHeight: Int { get }
    /// Pixels per character cell across (2 for braille, 1 for ASCII) and down (4 and 1).
    var pixelsPerColumn: Int { get }
    var pixelsPerRow: Int { get }
    /// Sets the pixel at (x, y), y counted from the top, for series `series`; pixels outside are ignored.
    mutating func set(_ x: Int, _ y: Int, series: Int)
    /// Whether the `step`-th pixel along a line of series `series` is drawn (dashes tell series apart).
    func isOn(step: Int, series: Int) -> Bool
    /// Row `row` as picture cells (blank cells as spaces in `.text` ink).
    func cells(row: Int) -> [Picture.Cell]
}

extension PlotRaster {
    /// Draws a straight line between two pixels (Bresenham), stroked as series `series`; `phase` counts the
    /// pixels stepped so far and carries dashes on from one segment of a polyline to the next.
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, series: Int, phase: inout Int) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        var guardSteps = dx - dy + 2  // a line visits at most this many pixels
        while guardSteps > 0 {
            if isOn(step: phase, series: series) { set(x, y, series: series) }
            if x == x1 && y == y1 { break }
            phase += 1
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
            guardSteps -= 1
        }
    }
}

/// A drawing surface of braille characters: each character cell holds a 2×4 grid of dots, so a canvas of
/// `width`×`height` cells has `2·width`×`4·height` pixels. Line plots draw on it (as Julia's UnicodePlots does).
/// Series are told apart by their stroke (`LinePattern`) and, in the notebook, by colour.
public struct BrailleCanvas: PlotRaster {
    public let width: Int
    public let height: Int
    private var cells: [UInt8]
    /// The series that last set a dot in each cell (-1: none).
    private var owners: [Int16]

    public init(width: Int, height: Int) {
        self.width = max(width, 1); self.height = max(height, 1)
        cells = [UInt8](repeating: 0, count: self.width * self.height)
        owners = [Int16](repeating: -1, count: self.width * self.height)
    }

    public var pixelWidth: Int { width * 2 }
    public var pixelHeight: Int { height * 4 }
    public var pixelsPerColumn: Int { 2 }
    public var pixelsPerRow: Int { 4 }

    /// The dot bit for column 0/1 and row 0…3 inside a cell (Unicode's braille numbering).
    private static let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets the pixel at (x, y), y counted from the top; pixels outside are ignored.
    public mutating func set(_ x: Int, _ y: Int) { set(x, y, series: 0) }

    public mutating func set(_ x: Int, _ y: Int, series: Int) {
        guard x >= 0, y >= 0, x < pixelWidth, y < pixelHeight else { return }
        let i = (y / 4) * width + x / 2
        cells[i] |= BrailleCanvas.bits[x % 2][y % 4]
        owners[i] = Int16(truncatingIfNeeded: series)
    }

    public func isOn(step: Int, series: Int) -> Bool { LinePattern.forSeries(series).isOn(step) }

    /// Draws a straight line between two pixels (Bresenham).
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
        var phase = 0
        line(x0, y0, x1, y1, series: 0, phase: &phase)
    }

    /// Draws a line stroked with `pattern` (whatever series it belongs to).
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, pattern: LinePattern, phase: inout Int) {
        line(x0, y0, x1, y1, series: pattern.rawValue, phase: &phase)
    }

    /// Whether any dot is set in cell (column, row).
    public func isEmpty(column: Int, row: Int) -> Bool { cells[row * width + column] == 0 }

    public func cells(row r: Int) -> [Picture.Cell] {
        (0..<width).map { c in
            let i = r * width + c
            let bits = cells[i]
            guard bits != 0, let scalar = Unicode.Scalar(0x2800 + UInt32(bits)) else { return Picture.Cell(" ") }
            return Picture.Cell(Character(scalar), .series(Int(owners[i])))
        }
    }

    /// The canvas as `height` strings of `width` characters (blank cells as spaces).
    public var rows: [String] { (0..<height).map { String(cells(row: $0).map(\.character)) } }
}

/// A plot surface of plain ASCII characters, one pixel per cell: each series draws with its own marker
/// (`*`, `o`, `+`, `x`, `#`, `%`), so curves stay apart without colour or braille.
public struct ASCIICanvas: PlotRaster {
    public let width: Int
    public let height: Int
    private var owners: [Int16]

    /// The marker of the `index`-th series.
    public static func marker(_ index: Int) -> Character { markers[((index % markers.count) + markers.count) % markers.count] }
    /// Never the axes' own characters (`+`, `-`, `|`): a series must not read as a tick (the loss pane's third
    /// series, validation, was drawn with `+`, the tick's character).
    private static let markers: [Character] = ["*", "o", "@", "x", "#", "%"]

    public init(width: Int, height: Int) {
        self.width = max(width, 1); self.height = max(height, 1)
        owners = [Int16](repeating: -1, count: self.width * self.height)
    }

    public var pixelWidth: Int { width }
    public var pixelHeight: Int { height }
    public var pixelsPerColumn: Int { 1 }
    public var pixelsPerRow: Int { 1 }

    public mutating func set(_ x: Int, _ y: Int, series: Int) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        owners[y * width + x] = Int16(truncatingIfNeeded: series)
    }

    public func isOn(step: Int, series: Int) -> Bool { true }

    public func cells(row r: Int) -> [Picture.Cell] {
        (0..<width).map { c in
            let owner = Int(owners[r * width + c])
            return owner < 0 ? Picture.Cell(" ") : Picture.Cell(ASCIICanvas.marker(owner), .series(owner))
        }
    }
}

/// How a curve is stroked, so several series in one monochrome plot stay apart: solid, dashed, dotted,
/// dash-dotted, long-dashed, dash-dot-dotted. The legend shows a sample of the very stroke (`sample`).
public enum LinePattern: Int, CaseIterable, Sendable {
    case solid, dashed, dotted, dashDot, longDash, dashDotDot

    /// Whether the `step`-th pixel along the line is drawn.
    public func isOn(_ step: Int) -> Bool {
        switch self {
        case .solid: return true
        case .dashed: return step % 6 < 4
        case .dotted: return step % 3 == 0
        case .dashDot: return step % 9 < 4 || step % 9 == 6
        case .longDash: return step % 11 < 8
        case .dashDotDot: return step % 12 < 4 || step % 12 == 6 || step % 12 == 9
        }
    }

    /// The legend's sample: a horizontal braille stroke `cells` characters long drawn with this pattern.
    public func sample(cells: Int = 6) -> String {
        var canvas = BrailleCanvas(width: cells, height: 1)
        var phase = 0
        canvas.line(0, 1, canvas.pixelWidth - 1, 1, pattern: self, phase: &phase)
        return canvas.rows[0]
    }

    /// The pattern of the `index`-th series.
    public static func forSeries(_ index: Int) -> LinePattern { allCases[((index % allCases.count) + allCases.count) % allCases.count] }
}
