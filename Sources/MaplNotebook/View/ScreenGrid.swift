import Foundation
import MaplRender

/// A colour of the terminal's 256-colour palette (0–15 the basic colours, 232–255 greys), or the
/// terminal's default.
public enum TerminalColor: Hashable, Sendable {
    case `default`
    case palette(UInt8)

    public static let black = TerminalColor.palette(0), red = TerminalColor.palette(1), green = TerminalColor.palette(2)
    public static let yellow = TerminalColor.palette(3), blue = TerminalColor.palette(4), magenta = TerminalColor.palette(5)
    public static let cyan = TerminalColor.palette(6), white = TerminalColor.palette(7), brightBlack = TerminalColor.palette(8)

    /// A grey level 0…1 on the 24-step grey ramp (232 = darkest, 255 = lightest), black and white at the ends.
    public static func grey(_ level: Double) -> TerminalColor { .palette(Picture.greyPalette(level)) }
}

/// How a cell is drawn. With colours off (`NO_COLOR`, a terminal without colours) only the attributes remain.
public struct TextStyle: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(foreground: TerminalColor = .default, background: TerminalColor = .default, bold: Bool = false,
                dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground; self.background = background; self.bold = bold; self.dim = dim
        self.reverse = reverse; self.underline = underline
    }

    public static let plain = TextStyle()
}

/// One character cell of the screen.
public struct ScreenCell: Hashable, Sendable {
    /// What the cell shows; "" for the right half of a double-width character.
    public var text: String
    public var style: TextStyle
    public init(_ text: String = " ", _ style: TextStyle = .plain) { self.text = text; self.style = style }
    public static let blank = ScreenCell()
}

/// A rectangle of the screen, in cells.
public struct Rect: Hashable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) { self.x = x; self.y = y; self.width = width; self.height = height }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
}

/// The whole screen as mapl draws it: a grid of cells, built in memory from mapl's own data every frame.
/// The terminal front end copies it to curses; tests read it as text. Nothing here knows about curses.
public struct ScreenGrid: Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [ScreenCell]

    public init(width: Int, height: Int) {
        self.width = Swift.max(width, 0)
        self.height = Swift.max(height, 0)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> ScreenCell {
        get { x >= 0 && x < width && y >= 0 && y < height ? cells[y * width + x] : .blank }
        set { if x >= 0 && x < width && y >= 0 && y < height { cells[y * width + x] = newValue } }
    }

    /// Writes `text` from column `x` of row `y`, clipped to `maxWidth` columns (and the screen); returns the
    /// column after the last character written. Double-width characters take two cells; control characters
    /// (C0, DEL, C1) are shown as `?` so they can never move the terminal's cursor.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: TextStyle = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0 && y < height else { return x }
        let limit = Swift.min(width, x + (maxWidth ?? width))
        var column = x
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // Plain ASCII (nearly every line): one cell per byte, no grapheme breaking.
            for byte in text.utf8 {
                if column + 1 > limit { break }
                if column >= 0 { cells[y * width + column] = ScreenCell(ScreenGrid.asciiText[Int(byte)], style) }
                column += 1
            }
            return column
        }
        for ch in text {
            let w = DisplayWidth.of(ch)
            if column + w > limit { break }
            if column >= 0 {
                self[column, y] = ScreenCell(ScreenGrid.isControl(ch) ? "?" : String(ch), style)
                if w == 2 { self[column + 1, y] = ScreenCell("", style) }
            }
            column += w
        }
        return column
    }

    /// C0 controls, DEL and the C1 controls (U+0080–U+009F, which some terminals obey as escape sequences).
    static func isControl(_ ch: Character) -> Bool {
        ch.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    /// The text of a cell showing each ASCII byte; control characters show as `?`.
    private static let asciiText: [String] = (0..<128).map { $0 < 32 || $0 == 127 ? "?" : String(UnicodeScalar(UInt8($0))) }

    /// Fills a rectangle with one character.
    public mutating func fill(_ rect: Rect, with cell: ScreenCell = .blank) {
        for y in Swift.max(rect.y, 0)..<Swift.min(rect.maxY, height) {
            for x in Swift.max(rect.x, 0)..<Swift.min(rect.maxX, width) { self[x, y] = cell }
        }
    }

    /// Row `y` as plain text (trailing spaces kept), for tests and `capture`-style checks.
    public func line(_ y: Int) -> String {
        guard y >= 0 && y < height else { return "" }
        return (0..<width).map { self[$0, y].text }.joined()
    }

    /// Every row as plain text.
    public var lines: [String] { (0..<height).map(line) }
}
