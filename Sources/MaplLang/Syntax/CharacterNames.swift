/// What the scanner and the error renderer need to know about characters that are not plain ASCII code:
/// line breaks, characters that print as nothing (or as a space), look-alikes pasted from word processors and
/// Chinese or Japanese input methods (`，（）“”−`), and how wide each character is on a terminal.
enum CharacterNames {
    /// `U+FF0C FULLWIDTH COMMA`, `U+0000 NUL`: the code point(s) of `c` and the Unicode name of the first.
    static func codePoint(_ c: Character) -> String {
        let scalars = c.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true).leftPadded(to: 4) }
        guard let first = c.unicodeScalars.first else { return "" }
        let name = first.properties.name ?? controlNames[first.value] ?? (isControl(first) ? "a control character" : nil)
        return scalars.joined(separator: " ") + (name.map { " " + $0 } ?? "")
    }

    /// The message for a character that starts no token: its code point and name, and what to type instead.
    static func unexpected(_ c: Character) -> String {
        if let ascii = asciiLookAlike(c) {
            // A space-like or invisible character is named, not shown: it would look like nothing.
            if ascii == " " { return "unexpected character (\(codePoint(c))); use a plain space" }
            return "unexpected character '\(c)' (\(codePoint(c))); use '\(ascii)' instead"
        }
        if isInvisible(c) { return "unexpected invisible character (\(codePoint(c))); delete it" }
        return "unexpected character '\(c)' (\(codePoint(c)))"
    }

    /// Characters that print nothing visible (controls, zero-width and direction marks, the byte-order mark):
    /// the renderer shows them as `�` so the caret has something to point at.
    static func isInvisible(_ c: Character) -> Bool {
        c.unicodeScalars.contains { s in
            switch s.properties.generalCategory {
            case .control: return s != "\t" && s != "\n" && s != "\r"
            case .format, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }

    /// The ASCII character a look-alike stands for, or nil.
    static func asciiLookAlike(_ c: Character) -> String? {
        guard c.unicodeScalars.count == 1, let s = c.unicodeScalars.first else { return nil }
        // The full-width forms of ASCII `!` … `~` (U+FF01 … U+FF5E) sit at a fixed distance from them.
        if (0xFF01...0xFF5E).contains(s.value), let ascii = Unicode.Scalar(s.value - 0xFEE0) { return String(ascii) }
        if let ascii = lookAlikes[s.value] { return ascii }
        if s.properties.generalCategory == .spaceSeparator { return " " }
        return nil
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool { s.properties.generalCategory == .control }

    /// Look-alikes outside the full-width block.
    private static let lookAlikes: [UInt32: String] = [
        0x3001: ",", 0x3002: ".",                                   // 、。 ideographic comma and full stop
        0x201C: "\"", 0x201D: "\"", 0x201E: "\"", 0x00AB: "\"", 0x00BB: "\"",   // “ ” „ « »
        0x2018: "\"", 0x2019: "\"",                                 // ‘ ’: mapl strings use double quotes
        0x2212: "-", 0x2013: "-", 0x2014: "-", 0x2010: "-", 0x2011: "-",        // − – — ‐ ‑
        0x00D7: "*", 0x00F7: "/", 0x2215: "/",                      // × ÷ ∕
        0x2264: "<=", 0x2265: ">=", 0x2260: "!=", 0x2192: "->",    // ≤ ≥ ≠ →
        0x3010: "[", 0x3011: "]", 0x300C: "\"", 0x300D: "\"",      // 【 】 「 」
    ]

    /// Names of the C0 controls that have none in Unicode's name table.
    private static let controlNames: [UInt32: String] = [
        0x00: "NUL", 0x07: "BEL", 0x08: "BACKSPACE", 0x0B: "VERTICAL TAB", 0x0C: "FORM FEED", 0x1B: "ESCAPE", 0x7F: "DELETE",
    ]
}

extension Character {
    /// A line break as the scanner counts lines: `\n`, `\r\n` (one Character in Swift) or a lone `\r`.
    var isLineBreak: Bool { self == "\n" || self == "\r\n" || self == "\r" }
}
