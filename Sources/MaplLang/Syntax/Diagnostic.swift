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
    public func render(source: String, file: String? = nil) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let lineIndex = range.start.line - 1
        var out = "\(file.map { $0 + ":" } ?? "")\(range.start.line):\(range.start.column): \(kind.rawValue): \(message)"
        if lineIndex >= 0 && lineIndex < lines.count {
            let text = String(lines[lineIndex]).replacingTabs()
            let caretColumn = max(range.start.column - 1, 0)
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

extension String {
    /// Tabs become single spaces so the caret lines up with the column count.
    func replacingTabs() -> String { String(map { $0 == "\t" ? " " : $0 }) }
}
