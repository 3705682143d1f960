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

    /// The completions of the word that ends at `cursor`, and the span of `code` they replace: the session's
    /// own answer (`Session.completions(for:cursor:)`), its character offsets turned into the Unicode scalar
    /// offsets the protocol counts in.
    static func completions(_ session: Session, code: String, cursor: Int) -> (matches: [String], start: Int, end: Int) {
        let at = characterOffset(code, scalars: cursor)
        guard let answer = answer(within: 2, { session.completions(for: code, cursor: at, $0) }) else { return ([], cursor, cursor) }
        return (answer.matches, scalarOffset(code, characters: answer.start), scalarOffset(code, characters: answer.end))
    }

    /// What `help(name)` says of the name at `cursor` (`Session.name(at:in:)`); nil when there is no name there
    /// or help knows none.
    static func inspect(_ session: Session, code: String, cursor: Int) -> String? {
        guard let topic = session.name(at: characterOffset(code, scalars: cursor), in: code),
              let help = answer(within: 2, { session.help(topic, $0) }),
              !help.hasPrefix("no builtin, keyword or syntax named") else { return nil }
        return help
    }

    /// A cursor given in Unicode scalars (as Jupyter counts) as a character offset into `code`; a cursor inside a
    /// character stands after it.
    private static func characterOffset(_ code: String, scalars cursor: Int) -> Int {
        var seen = 0, characters = 0
        for ch in code where seen < cursor {
            seen += ch.unicodeScalars.count
            characters += 1
        }
        return characters
    }

    /// The Unicode scalars in the first `characters` characters of `text`.
    private static func scalarOffset(_ text: String, characters: Int) -> Int {
        text.prefix(max(characters, 0)).unicodeScalars.count
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
