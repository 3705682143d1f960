import Foundation
import MaplCore
import MaplRuntime

/// The questions the kernel asks the session that `Session` does not answer as typed requests yet, each
/// made from what it offers now (`completions(for:)`, `help`) and the parser. The one place to repoint when
/// the session answers them itself.
enum SessionBridge {
    /// `complete`, `incomplete` (with the indent of the next line) or `invalid`, as the session's parser says.
    static func isComplete(_ session: Session, _ code: String) -> (status: String, indent: String) {
        switch session.isComplete(code) {
        case .complete: return ("complete", "")
        case .invalid: return ("invalid", "")
        case .incomplete(let indent): return ("incomplete", indent)
        }
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
        let topic = String(word)
        guard let text = answer(within: 2, { session.help(topic, $0) }), !text.hasPrefix("no builtin, keyword or syntax named") else { return nil }
        return text
    }
}

/// Waits up to `seconds` for a question the session answers on its thread: the shell answers one request at a
/// time, as IPython's kernel does, and a cell that runs long leaves the question unanswered (nil) rather than
/// the shell stuck.
private func answer<T: Sendable>(within seconds: Double, _ ask: (@escaping @Sendable (T) -> Void) -> Void) -> T? {
    let box = Locked<T?>(nil)
    let done = DispatchSemaphore(value: 0)
    ask { value in
        box.withLock { $0 = value }
        done.signal()
    }
    guard done.wait(timeout: .now() + seconds) == .success else { return nil }
    return box.withLock { $0 }
}

/// The characters of a name, as the completer reads them (letters, digits, `_`).
enum CompletionWord {
    static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        s == "_" || s.properties.isAlphabetic || s.properties.numericType != nil
    }
}
