/// An error in a mapl program, positioned from the scanner onward: it names where, shows the line with a caret
/// under the fault, and says what was expected.
public struct MaplError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure, for the first word of the message.
    public enum Kind: String, Sendable { case syntax = "syntax error", runtime = "error", assertion = "assertion failed", interrupted = "interrupted" }

    public var kind: Kind
    public var message: String
    public var range: SourceRange

    public init(_ kind: Kind, _ message: String, at range: SourceRange) {
        self.kind = kind; self.message = message; self.range = range
    }

    public var description: String { "\(range.start.line):\(range.start.column): \(kind.rawValue): \(message)" }

    /// The full report as users see it:
    ///
    ///     file.mapl:3:9: error: shape [64, 784] cannot be multiplied by [128, 10]
    ///       y = x @ W
    ///             ^
    ///
    /// A line longer than `shownLine` characters is shown as a window around the caret, `…` marking what is
    /// left out, and a message longer than `shownMessage` is cut: a 1 MB line is not echoed whole.
    public func render(source: String, file: String? = nil) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let lineIndex = range.start.line - 1
        var out = "\(file.map { $0 + ":" } ?? "")\(range.start.line):\(range.start.column): \(kind.rawValue): \(MaplError.clipped(message, to: MaplError.shownMessage))"
        if lineIndex >= 0 && lineIndex < lines.count {
            var text = String(lines[lineIndex]).replacingTabs()
            var caretColumn = max(range.start.column - 1, 0)
            if text.count > MaplError.shownLine {
                // Keep a third of the window before the caret; mark each cut side with "…".
                let characters = Array(text)
                let start = min(max(caretColumn - MaplError.shownLine / 3, 0), characters.count - MaplError.shownLine)
                let end = start + MaplError.shownLine
                text = (start > 0 ? "…" : "") + String(characters[start..<end]) + (end < characters.count ? "…" : "")
                caretColumn = caretColumn - start + (start > 0 ? 1 : 0)
            }
            let width: Int
            if range.end.line == range.start.line && range.end.column > range.start.column {
                width = range.end.column - range.start.column
            } else {
                width = 1
            }
            out += "\n  " + text + "\n  " + String(repeating: " ", count: min(caretColumn, text.count)) + "^" + String(repeating: "~", count: max(0, min(width, max(text.count - caretColumn, 1)) - 1))
        }
        return out
    }
}

extension MaplError {
    /// The longest source line echoed whole, and the longest message shown, in characters.
    public static let shownLine = 160, shownMessage = 4000

    /// `text` cut to `limit` characters with a note of how much was left out (user text quoted in messages:
    /// an unknown name a megabyte long).
    public static func clipped(_ text: String, to limit: Int = 80) -> String {
        guard text.utf8.count > limit, text.count > limit else { return text }
        return String(text.prefix(limit)) + "… (\(text.count - limit) more characters)"
    }
}

extension String {
    /// Tabs become single spaces so the caret lines up with the column count.
    func replacingTabs() -> String { String(map { $0 == "\t" ? " " : $0 }) }
}
