import MaplProtocol
/// Spells the symbols mapl's own texts use (the trace's ∂ and ⊙, tables' "…", "×", arrows, box drawing)
/// in plain ASCII, for `--ascii`. Characters it does not know — a user's own names and strings — are kept:
/// `--ascii` is about what mapl draws, not about what a program prints.
public enum ASCIIFold {
    private static let table: [Unicode.Scalar: String] = [
        "∂": "d", "⊙": "*", "·": "*", "⋆": "*", "×": "x", "−": "-", "–": "-", "—": "--", "…": "...",
        "→": "->", "←": "<-", "↑": "^", "↓": "v", "≤": "<=", "≥": ">=", "≠": "!=", "≈": "~", "±": "+-",
        "²": "^2", "³": "^3", "¹": "1", "ˣ": "^x", "ᵇ": "^b", "ᵀ": "^T", "⁻": "^-", "ᵢ": "_i", "ⱼ": "_j", "ₖ": "_k",
        "ₙ": "_n", "\u{0304}": "bar", "Σ": "sum ", "√": "sqrt", "∞": "inf", "Φ": "Phi", "φ": "phi", "σ": "sigma",
        "─": "-", "━": "-", "│": "|", "┃": "|", "┌": "+", "┐": "+", "└": "`", "┘": "+", "├": "|", "┤": "|",
        "┬": "+", "┴": "+", "┼": "+", "┄": "-", "┈": ".", "╌": "-", "▏": "|",
        "█": "#", "▀": "\"", "▄": "_", "░": ".", "▒": ":", "▓": "#", "•": "*", "▌": "|", "‘": "'", "’": "'",
        "“": "\"", "”": "\"", "✓": "ok", "✗": "x", "‖": "||", "Δ": "d", "θ": "theta",
    ]

    /// `s` with every known symbol replaced by its ASCII spelling (a bar over a letter, `x̄`, as `xbar`).
    public static func fold(_ s: String) -> String {
        guard !s.utf8.allSatisfy({ $0 < 0x80 }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            if scalar.isASCII { out.unicodeScalars.append(scalar) } else if let r = table[scalar] { out += r } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
