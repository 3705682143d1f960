import MaplProtocol
/// How many columns text takes on a terminal — the one measure every front end and the error carets use.
///
/// It reads Unicode's own properties and East Asian Width ranges, never the C locale (`wcwidth` says 1 for
/// every CJK character when the locale is "C", so the width would depend on how the program was started).
/// A character (a grapheme cluster) takes 1 or 2 columns: wide East Asian characters and emoji take 2,
/// combining marks, joiners and variation selectors add nothing, and any character — a control character,
/// a lone combining mark — takes at least 1, the one cell a front end gives it.
public enum DisplayWidth {
    /// The columns `ch` takes: 1 or 2.
    public static func of(_ ch: Character) -> Int {
        if ch.isASCII { return 1 }
        var total = 0
        for scalar in ch.unicodeScalars {
            // The first scalar takes a cell even when it has no width of its own.
            total += Swift.max(columns(scalar), total == 0 ? 1 : 0)
        }
        return Swift.min(Swift.max(total, 1), 2)
    }

    /// The columns a string takes.
    public static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }

    /// The columns one scalar takes after a base: 0, 1 or 2 (as glibc's tables in a UTF-8 locale).
    private static func columns(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .control: return 0
        case .format: return prependedConcatenationMarks.contains(v) || v == 0xAD ? 1 : 0
        default: break
        }
        // Hangul jamo vowels and finals join the initial before them into one syllable.
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return 0 }
        if s.properties.isEmojiPresentation { return 2 }
        for range in wideRanges where range.contains(v) { return 2 }
        return 1
    }

    /// Format characters that are drawn (they sit above the numbers that follow them).
    private static let prependedConcatenationMarks: Set<UInt32> = [
        0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD,
    ]

    /// East Asian Wide and Fullwidth characters that are not emoji (Unicode's EastAsianWidth.txt; emoji are
    /// found by their Emoji_Presentation property instead).
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x1B2FF, 0x1F200...0x1F2FF, 0x20000...0x3FFFD,
    ]
}
