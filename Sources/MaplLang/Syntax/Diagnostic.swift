import MaplProtocol
import MaplRender

extension MaplError {
    /// The full report as users see it:
    ///
    ///     file.mapl:3:9: error: shape [64, 784] cannot be multiplied by [128, 10]
    ///       y = x @ W
    ///             ^
    ///
    /// Lines end at `\n`, `\r\n` or `\r`, as the scanner counts them. The echoed line shows tabs as one space
    /// and invisible characters as `�`, and the caret counts wide (CJK, full-width) characters as two columns,
    /// so it sits under the fault on a terminal. A line longer than `shownLine` characters is shown as a
    /// window around the caret, `…` marking what is left out, and a message longer than `shownMessage` is
    /// cut: a 1 MB line is not echoed whole.
    public func render(source: String, file: String? = nil) -> String {
        let lines = MaplError.lines(of: source)
        let lineIndex = range.start.line - 1
        var out = "\(file.map { $0 + ":" } ?? "")\(range.start.line):\(range.start.column): \(kind.rawValue): \(MaplError.clipped(message, to: MaplError.shownMessage))"
        guard lineIndex >= 0 && lineIndex < lines.count else { return out }
        let chars = Array(lines[lineIndex])
        let start = min(max(range.start.column - 1, 0), chars.count)
        var end: Int
        if range.end.line == range.start.line && range.end.column > range.start.column {
            end = min(range.end.column - 1, chars.count)
        } else {
            end = start + 1
        }
        // A long line: a window of `shownLine` characters, a third of it before the caret.
        var window = 0..<chars.count
        if chars.count > MaplError.shownLine {
            let first = min(max(start - MaplError.shownLine / 3, 0), chars.count - MaplError.shownLine)
            window = first..<(first + MaplError.shownLine)
            end = min(end, window.upperBound)
        }
        let cutBefore = window.lowerBound > 0, cutAfter = window.upperBound < chars.count
        let caretColumn = (cutBefore ? 1 : 0) + chars[window.lowerBound..<start].reduce(0) { $0 + DisplayWidth.of($1) }
        let underline = max(1, chars[start..<max(start, min(end, chars.count))].reduce(0) { $0 + DisplayWidth.of($1) })
        out += "\n  " + (cutBefore ? "…" : "") + MaplError.displayLine(String(chars[window])) + (cutAfter ? "…" : "")
        out += "\n  " + String(repeating: " ", count: caretColumn) + "^" + String(repeating: "~", count: underline - 1)
        return out
    }

    /// The source's lines, split where the scanner counts a line break.
    static func lines(of source: String) -> [Substring] {
        source.split(omittingEmptySubsequences: false, whereSeparator: \.isLineBreak)
    }

    /// A source line as the report shows it: tabs as a space, invisible characters as `�`.
    static func displayLine<S: StringProtocol>(_ line: S) -> String {
        String(line.map { c -> Character in
            if c == "\t" { return " " }
            return CharacterNames.isInvisible(c) ? "\u{FFFD}" : c
        })
    }
}

