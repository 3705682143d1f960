extension Parser {
    /// What a front end needs to know of an entry before it runs it (Jupyter's `is_complete`).
    public enum Entry: Sendable, Equatable {
        /// It parses.
        case complete
        /// It stops too early (see `isComplete`); `open` brackets and blocks are still open.
        case incomplete(open: Int)
        /// It has a syntax error that more lines cannot mend.
        case invalid
    }

    /// Whether `source` is complete, stops too early, or is wrong whatever follows.
    public static func entry(_ source: String) -> Entry {
        var scanner = Scanner(source)
        guard let tokens = try? scanner.scanTokens() else { return .invalid }
        var parser = Parser(tokens: tokens)
        do {
            _ = try parser.statements()
            return .complete
        } catch {
            guard parser.failedAtEnd else { return .invalid }
            var open = 0
            for t in tokens {
                if t.isSymbol(.leftParen) || t.isSymbol(.leftBracket) || t.isSymbol(.leftBrace) { open += 1 }
                if t.isSymbol(.rightParen) || t.isSymbol(.rightBracket) || t.isSymbol(.rightBrace) { open = max(0, open - 1) }
            }
            return .incomplete(open: open)
        }
    }
}
