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
