import MaplRuntime

/// The questions the kernel asks the session that `Session` does not answer as typed requests yet, each
/// made from what it offers now (`completions(for:)`, `help`) and the parser. The one place to repoint when
/// the session answers them itself.
enum SessionBridge {
    /// `complete`, `incomplete` (with the indent of the next line) or `invalid`, from the parser.
    static func isComplete(_ code: String) -> (status: String, indent: String) {
        if SourceCells.parses(code) { return ("complete", "") }
        guard !SourceCells.isComplete(code) else { return ("invalid", "") }
        // Two spaces per block still open, as the sessions in sessions/ indent.
        let depth = code.reduce(0) { d, c in c == "{" ? d + 1 : c == "}" ? max(d - 1, 0) : d }
        return ("incomplete", String(repeating: "  ", count: depth))
    }

    /// The completions of the word that ends at `cursor` (a Unicode scalar offset, as the protocol counts),
    /// and the span of `code` they replace.
    static func completions(_ session: Session, code: String, cursor: Int) -> (matches: [String], start: Int, end: Int) {
        let scalars = Array(code.unicodeScalars)
        let end = min(max(cursor, 0), scalars.count)
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[..<end])
        var start = end
        while start > 0, CompletionWord.isNameScalar(scalars[start - 1]) { start -= 1 }
        return (session.completions(for: String(text)), start, end)
    }

    /// What `help(name)` says of the name at `cursor`; nil when there is no name there or help knows none.
    static func inspect(_ session: Session, code: String, cursor: Int) -> String? {
        let scalars = Array(code.unicodeScalars)
        let at = min(max(cursor, 0), scalars.count)
        var start = at, end = at
        while start > 0, CompletionWord.isNameScalar(scalars[start - 1]) { start -= 1 }
        while end < scalars.count, CompletionWord.isNameScalar(scalars[end]) { end += 1 }
        // A cursor just after `relu(` asks about `relu`.
        if start == end, at > 0, scalars[at - 1] == "(" {
            end = at - 1
            start = end
            while start > 0, CompletionWord.isNameScalar(scalars[start - 1]) { start -= 1 }
        }
        guard start < end else { return nil }
        var word = String.UnicodeScalarView()
        word.append(contentsOf: scalars[start..<end])
        guard let text = session.help(String(word)), !text.hasPrefix("no builtin, keyword or syntax named") else { return nil }
        return text
    }
}

/// The characters of a name, as the completer reads them (letters, digits, `_`).
enum CompletionWord {
    static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        s == "_" || s.properties.isAlphabetic || s.properties.numericType != nil
    }
}
