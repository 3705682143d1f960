import MaplProtocol
import Foundation

/// A drawing as rows of character cells, each tagged with the part it plays (`Ink`), so every front end
/// draws the same picture its own way: `mapl run` as plain lines (grey cells as 24-bit escapes), the
/// notebook into its screen grid with a colour per series. Plots, histograms, images and heatmaps are
/// drawn once, here, for both.
///
/// Every character a renderer puts in a picture takes one terminal column (braille, box drawing, block
/// elements and ASCII all do); text that came from the user (titles, legend names) may not, and front ends
/// clip by display width.
public struct Picture: Sendable, Equatable {
    /// What a cell is, for a front end that colours it.
    public enum Ink: Hashable, Sendable {
        /// Labels, legends, notes.
        case text
        /// Axis lines, ticks and tick labels.
        case axis
        /// The `k`-th series of a plot (or the bars of a histogram): a colour of its own in the notebook.
        case series(Int)
        /// A half-block cell "▀": the grey levels (0…1) of its upper and lower pixel.
        case grey(top: Float, bottom: Float)
        /// Something to stand out (the predicted class).
        case emphasis
    }

    /// One character cell.
    public struct Cell: Hashable, Sendable {
        public var character: Character
        public var ink: Ink
        public init(_ character: Character, _ ink: Ink = .text) { self.character = character; self.ink = ink }
    }

    public var rows: [[Cell]]

    public init(rows: [[Cell]] = []) { self.rows = rows }

    /// A picture of plain text lines.
    public init(lines: [String], ink: Ink = .text) { rows = lines.map { Picture.row($0, ink) } }

    /// A row of `text` in one ink.
    public static func row(_ text: String, _ ink: Ink = .text) -> [Cell] { text.map { Cell($0, ink) } }

    /// Appends a row of text.
    public mutating func append(_ text: String, ink: Ink = .text) { rows.append(Picture.row(text, ink)) }

    /// Appends the rows of another picture.
    public mutating func append(_ other: Picture) { rows += other.rows }

    /// The picture cut to at most `width` cells a row and `height` rows.
    public func clipped(width: Int, height: Int) -> Picture {
        Picture(rows: rows.prefix(Swift.max(height, 0)).map { Array($0.prefix(Swift.max(width, 0))) })
    }

    /// `text` broken at spaces into rows of at most `width` columns (a longer word is cut); `columns`
    /// measures a character (1 each unless a front end knows its terminal's widths).
    public static func wrapWords(_ text: String, width: Int, columns: (Character) -> Int = { _ in 1 }) -> [String] {
        let w = Swift.max(width, 1)
        func measure(_ s: String) -> Int { s.reduce(0) { $0 + columns($1) } }
        var rows: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if measure(candidate) <= w { current = candidate; continue }
            if !current.isEmpty { rows.append(current) }
            current = String(word)
            while measure(current) > w {
                // The longest head that fits, at least one character so a wide one still moves on.
                var head = "", used = 0
                for ch in current {
                    if used + columns(ch) > w && !head.isEmpty { break }
                    head.append(ch); used += columns(ch)
                }
                rows.append(head)
                current = String(current.dropFirst(head.count))
            }
        }
        if !current.isEmpty || rows.isEmpty { rows.append(current) }
        return rows
    }

    /// The widest row, in cells.
    public var width: Int { rows.reduce(0) { Swift.max($0, $1.count) } }

    /// The rows as plain text (grey cells as their character).
    public var lines: [String] { rows.map { String($0.map(\.character)) } }

    /// Whether the terminal takes 24-bit colour: `COLORTERM` is `truecolor` or `24bit`, as terminals that do say.
    public static let trueColor: Bool = {
        let v = (ProcessInfo.processInfo.environment["COLORTERM"] ?? "").lowercased()
        return v == "truecolor" || v == "24bit"
    }()

    /// The rows as text for a terminal without a screen library: grey cells become colour escapes (foreground
    /// the upper pixel, background the lower) — 24-bit where `COLORTERM` says the terminal takes it, else the
    /// 256-colour palette's grey ramp — reset at the end of each row that used them.
    public var ansiLines: [String] { ansiLines(trueColor: Picture.trueColor) }

    public func ansiLines(trueColor: Bool) -> [String] {
        rows.map { row in
            var line = ""
            var escaped = false
            for cell in row {
                if case .grey(let top, let bottom) = cell.ink {
                    if trueColor {
                        let t = Picture.byte(top), b = Picture.byte(bottom)
                        line += "\u{1B}[38;2;\(t);\(t);\(t)m\u{1B}[48;2;\(b);\(b);\(b)m"
                    } else {
                        line += "\u{1B}[38;5;\(Picture.greyPalette(Double(top)))m\u{1B}[48;5;\(Picture.greyPalette(Double(bottom)))m"
                    }
                    escaped = true
                } else if escaped {
                    line += "\u{1B}[0m"
                    escaped = false
                }
                line.append(cell.character)
            }
            if escaped { line += "\u{1B}[0m" }
            return line
        }
    }

    /// A grey level 0…1 as an entry of the 256-colour palette: its 24-step grey ramp (232 darkest … 255
    /// lightest), with the colour cube's black (16) and white (231) at the ends; NaN as the darkest grey.
    public static func greyPalette(_ level: Double) -> UInt8 {
        guard level.isFinite else { return 232 }
        let clamped = Swift.min(Swift.max(level, 0), 1)
        if clamped < 0.02 { return 16 }
        if clamped > 0.98 { return 231 }
        return UInt8(232 + Int((clamped * 23).rounded()))
    }

    /// A grey level 0…1 as 0…255.
    static func byte(_ level: Float) -> Int { Int(Swift.min(Swift.max(level, 0), 1) * 255 + 0.5) }
}

/// The characters a picture is drawn with: Unicode (braille, box drawing, block elements) or plain ASCII
/// for terminals and fonts without them (`--ascii`).
public struct Glyphs: Sendable {
    public let ascii: Bool
    public let horizontal: Character, vertical: Character, corner: Character
    /// A y-axis tick (`┤`) and an x-axis tick (`┬`).
    public let yTick: Character, xTick: Character
    public let ellipsis: String, arrow: String, times: String

    public init(ascii: Bool) {
        self.ascii = ascii
        if ascii {
            horizontal = "-"; vertical = "|"; corner = "+"; yTick = "+"; xTick = "+"
            ellipsis = "..."; arrow = "->"; times = "x"
        } else {
            horizontal = "─"; vertical = "│"; corner = "└"; yTick = "┤"; xTick = "┬"
            ellipsis = "…"; arrow = "→"; times = "×"
        }
    }

    public static let unicode = Glyphs(ascii: false)
    public static let plainASCII = Glyphs(ascii: true)
}
