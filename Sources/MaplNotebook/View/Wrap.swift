import MaplLang

/// Wrapping transcript lines to a width: by characters, as a terminal does, with a hanging indent so
/// wrapped output stays under its cell. Pure-ASCII lines (nearly all) wrap by arithmetic, so counting
/// the rows of a long transcript costs one division per line.
enum Wrap {
    /// The indent of a line's rows: outputs sit under the input, after the `[n] ` column.
    static func indent(_ kind: TranscriptLineKind) -> Int { kind.isOutput ? 4 : 0 }

    /// How many rows `line` takes at `width` columns after `prefix` columns of prefix (the cell number,
    /// or the indent).
    static func rowCount(_ line: TranscriptLine, width: Int, prefix: Int, ascii: Bool) -> Int {
        let available = Swift.max(width - prefix, 1)
        if let w = line.asciiWidth { return Swift.max((w + available - 1) / available, 1) }
        return rows(text(line, ascii: ascii), available: available).count
    }

    /// The text drawn for a line (ASCII-folded when asked and the line is mapl's own).
    static func text(_ line: TranscriptLine, ascii: Bool) -> String {
        ascii && line.kind.isFoldable && line.asciiWidth == nil ? ASCIIFold.fold(line.text) : line.text
    }

    /// The pieces of `text` that fill rows of `available` columns (at least one piece, maybe empty).
    static func rows(_ text: String, available: Int) -> [Substring] {
        let w = Swift.max(available, 1)
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            let n = text.utf8.count
            if n <= w { return [Substring(text)] }
            var out: [Substring] = []
            var start = text.startIndex
            while start < text.endIndex {
                let end = text.index(start, offsetBy: w, limitedBy: text.endIndex) ?? text.endIndex
                out.append(text[start..<end])
                start = end
            }
            return out
        }
        var out: [Substring] = []
        var rest = Substring(text)
        repeat {
            let end = prefix(rest, columns: w)
            out.append(rest[..<end])
            rest = rest[end...]
        } while !rest.isEmpty
        return out
    }

    /// The end of the longest prefix of `s` that fits `columns` columns (at least one character, so a
    /// character wider than the row still makes progress).
    static func prefix<S: StringProtocol>(_ s: S, columns: Int) -> S.Index {
        var used = 0
        var i = s.startIndex
        while i < s.endIndex {
            let w = ScreenGrid.displayWidth(s[i])
            if used + w > columns && i != s.startIndex { break }
            used += w
            i = s.index(after: i)
        }
        return i
    }
}
