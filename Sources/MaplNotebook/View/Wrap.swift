import MaplRender

/// Wrapping transcript lines to a width: at a space when one lies in the second half of the row (so words
/// stay whole), else between characters, with a hanging indent so wrapped output stays under its cell. A
/// pure-ASCII line that fits (nearly all) costs one comparison.
enum Wrap {
    /// How many rows `line` takes at `width` columns after `prefix` columns of prefix (the cell number,
    /// or the indent).
    static func rowCount(_ line: TranscriptLine, width: Int, prefix: Int, ascii: Bool) -> Int {
        let available = Swift.max(width - prefix, 1)
        if line.matrix != nil { return 1 }
        if let w = line.asciiWidth, w <= available { return 1 }
        let text = text(line, ascii: ascii)
        return rows(text, available: available, hanging: hanging(text, kind: line.kind, available: available)).count
    }

    /// How far a line's wrapped rows stand in under its first: as far as the line itself is indented, or for
    /// a note with a label (`keys: …`, `commands: …`, as `:help` writes them) under the text after the label —
    /// so a wrapped `:help` keeps its columns. Never more than half the row.
    static func hanging(_ text: String, kind: TranscriptLineKind, available: Int) -> Int {
        var spaces = 0
        for ch in text { if ch == " " { spaces += 1 } else { break } }
        var indent = spaces
        if spaces == 0, kind == .note, let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy({ $0.isLetter }) {
            var k = text.index(after: colon), n = text.distance(from: text.startIndex, to: k)
            while k < text.endIndex, text[k] == " " { k = text.index(after: k); n += 1 }
            indent = n
        }
        return indent < available / 2 ? indent : 0
    }

    /// `rows(text, available:)` with the rows after the first `hanging` columns narrower (they are drawn
    /// that far in).
    static func rows(_ text: String, available: Int, hanging: Int) -> [Substring] {
        let first = rows(text, available: available)
        guard hanging > 0, first.count > 1, let head = first.first else { return first }
        var rest = head.endIndex
        while rest < text.endIndex, text[rest] == " " { rest = text.index(after: rest) }
        guard rest < text.endIndex else { return [head] }
        return [head] + rows(String(text[rest...]), available: Swift.max(available - hanging, 1))
    }

    /// The text drawn for a line (ASCII-folded when asked and the line is mapl's own).
    static func text(_ line: TranscriptLine, ascii: Bool) -> String {
        ascii && line.kind.isFoldable && line.asciiWidth == nil ? ASCIIFold.fold(line.text) : line.text
    }

    /// The pieces of `text` that fill rows of `available` columns (at least one piece, maybe empty). The
    /// space a row breaks at is dropped.
    static func rows(_ text: String, available: Int) -> [Substring] {
        let w = Swift.max(available, 1)
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), let rows = asciiRows(text, available: w) { return rows }
        var out: [Substring] = []
        var rest = Substring(text)
        repeat {
            let end = prefix(rest, columns: w)
            if end < rest.endIndex {
                // Back to the last space in the row's second half, if there is one.
                var used = 0, i = rest.startIndex, space: Substring.Index? = nil
                while i < end {
                    if rest[i] == " " && used >= w / 2 { space = i }
                    used += DisplayWidth.of(rest[i])
                    i = rest.index(after: i)
                }
                if rest[end] == " " { space = end }
                if let space, space > rest.startIndex {
                    out.append(rest[..<space])
                    rest = rest[rest.index(after: space)...]
                    continue
                }
            }
            out.append(rest[..<end])
            rest = rest[end...]
        } while !rest.isEmpty
        return out
    }

    /// `rows` for printable ASCII, where a character is a byte and a column: the same breaks by arithmetic
    /// (nil when the text is not stored contiguously).
    private static func asciiRows(_ text: String, available w: Int) -> [Substring]? {
        let utf8 = text.utf8
        let n = utf8.count
        guard n > w else { return [Substring(text)] }
        var out: [Substring] = []
        var start = 0
        func index(_ k: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: k) }
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            while start < n {
                var end = Swift.min(start + w, n), next = end
                if end < n {
                    if bytes[end] == 32 {
                        next = end + 1
                    } else {
                        var k = end - 1
                        while k >= start + w / 2 && bytes[k] != 32 { k -= 1 }
                        if k >= start + w / 2 && k > start { end = k; next = k + 1 }
                    }
                }
                out.append(text[index(start)..<index(end)])
                start = next
            }
        }
        return done == nil ? nil : out
    }

    /// The end of the longest prefix of `s` that fits `columns` columns (at least one character, so a
    /// character wider than the row still makes progress).
    static func prefix<S: StringProtocol>(_ s: S, columns: Int) -> S.Index {
        var used = 0
        var i = s.startIndex
        while i < s.endIndex {
            let w = DisplayWidth.of(s[i])
            if used + w > columns && i != s.startIndex { break }
            used += w
            i = s.index(after: i)
        }
        return i
    }
}
