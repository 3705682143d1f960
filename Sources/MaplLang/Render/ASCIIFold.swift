/// Spells the symbols mapl's own texts use (the trace's ∂ and ⊙, tables' "…", "×", arrows, box drawing)
/// in plain ASCII, for `--ascii`. Characters it does not know — a user's own names and strings — are kept:
/// `--ascii` is about what mapl draws, not about what a program prints.
public enum ASCIIFold {
    private static let table: [Character: String] = [
        "∂": "d", "⊙": "*", "·": "*", "×": "x", "−": "-", "–": "-", "—": "--", "…": "...",
        "→": "->", "←": "<-", "↑": "^", "↓": "v", "≤": "<=", "≥": ">=", "≠": "!=", "≈": "~", "±": "+-",
        "²": "^2", "³": "^3", "ˣ": "^x", "⁻": "^-", "Σ": "sum ", "√": "sqrt", "∞": "inf",
        "─": "-", "━": "-", "│": "|", "┃": "|", "┌": "+", "┐": "+", "└": "`", "┘": "+", "├": "|", "┤": "|",
        "┬": "+", "┴": "+", "┼": "+", "┄": "-", "┈": ".", "╌": "-", "▏": "|",
        "█": "#", "▀": "\"", "▄": "_", "░": ".", "▒": ":", "▓": "#", "•": "*", "▌": "|", "‘": "'", "’": "'",
        "“": "\"", "”": "\"", "✓": "ok", "✗": "x",
    ]

    /// `s` with every known symbol replaced by its ASCII spelling.
    public static func fold(_ s: String) -> String {
        guard !s.utf8.allSatisfy({ $0 < 0x80 }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            if ch.isASCII { out.append(ch) } else if let r = table[ch] { out += r } else { out.append(ch) }
        }
        return out
    }
}
