import Foundation
import MaplLang

/// What a front end asks the session to run for the user — walk an expression in the stepper, go on with the
/// paused training, end it — as a typed request rather than source typed on the user's behalf, so a user who
/// names a variable `trace` or `training` still gets the builtin and the paused run.
///
/// A request runs as a cell whose source is the call it stands for (`trace(L, quiz=true)`), which is what the
/// transcript, the journal and a saved `.mapl` show. The session marks the cell with the command that asked
/// for it (`.action(.command(":step --quiz L"))` right after `cellStarted`; `#@ :step --quiz L` above the cell
/// in a saved file), and a replay that submits the cell with that action runs it as the request again
/// (`Session.submit(_:repeating:)`). A marker whose request is not the cell's source (the file was edited)
/// is ignored: the cell runs as the mapl it holds.
public enum SessionRequest: Sendable, Equatable {
    /// `trace(expression)`: the stepper's walk (`:step [--quiz] EXPR`).
    case step(expression: String, quiz: Bool)
    /// `resume(training, batches=n)` on the paused run: `n` batches (`:next n`), or to the end (`:continue`).
    case resume(batches: Int?)
    /// `stop(training)`: the paused run ends where it stands (Ctrl-C with nothing typed).
    case stopTraining
    /// `show_limit(n)`: tensors of up to `n` elements print in full (`:set show N`); nil: `show_limit()`,
    /// which fits them to the pane (`:set show auto`).
    case showLimit(Int?)

    /// The call the request stands for, as mapl.
    public var source: String {
        switch self {
        case .step(let expression, let quiz): return quiz ? "trace(\(expression), quiz=true)" : "trace(\(expression))"
        case .resume(let batches?): return "resume(training, batches=\(batches))"
        case .resume(nil): return "resume(training)"
        case .stopTraining: return "stop(training)"
        case .showLimit(let n?): return "show_limit(\(n))"
        case .showLimit(nil): return "show_limit()"
        }
    }

    /// The notebook command that asks for it, as the session records it.
    public var command: String {
        switch self {
        case .step(let expression, let quiz): return ":step " + (quiz ? "--quiz " : "") + expression
        case .resume(let batches?): return batches == 1 ? ":next" : ":next \(batches)"
        case .resume(nil): return ":continue"
        case .stopTraining: return ":stop"
        case .showLimit(let n?): return ":set show \(n)"
        case .showLimit(nil): return ":set show auto"
        }
    }

    /// Reads a recorded command back; nil when `command` asks for no request (`:step` alone reopens a walk).
    public init?(command: String) {
        let words = command.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let name = words.first else { return nil }
        let rest = command.drop { $0 == " " }.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        switch name {
        case ":step":
            let quiz = rest.hasPrefix("--quiz")
            let expression = quiz ? String(rest.dropFirst("--quiz".count)).trimmingCharacters(in: .whitespaces) : rest
            guard !expression.isEmpty else { return nil }
            self = .step(expression: expression, quiz: quiz)
        case ":next":
            guard words.count <= 2 else { return nil }
            guard words.count == 2 else { self = .resume(batches: 1); return }
            guard let n = Int(words[1]) else { return nil }
            self = .resume(batches: n)
        case ":continue" where words.count == 1: self = .resume(batches: nil)
        case ":stop" where words.count == 1: self = .stopTraining
        case ":set" where words.count == 3 && words[1] == "show":
            if words[2] == "auto" { self = .showLimit(nil); return }
            guard let n = Int(words[2]) else { return nil }
            self = .showLimit(n)
        default: return nil
        }
    }

    /// The builtin the call is of, and whether its `training` argument is the paused run.
    var builtin: (name: String, pausedRun: Bool) {
        switch self {
        case .step: return ("trace", false)
        case .resume: return ("resume", true)
        case .stopTraining: return ("stop", true)
        case .showLimit: return ("show_limit", false)
        }
    }
}

extension SessionAction {
    /// The request this action marks its cell as (`#@ :step L` above `trace(L)`), if any.
    public var request: SessionRequest? {
        guard case .command(let text, during: false) = self else { return nil }
        return SessionRequest(command: text)
    }
}

/// Whether a source is a whole entry, as a front end asks before sending it (Jupyter's `is_complete`).
public enum Completeness: Sendable, Equatable {
    /// It parses: run it.
    case complete
    /// It stops too early (an open bracket or block, a trailing operator): ask for another line, indented so.
    case incomplete(indent: String)
    /// It has a syntax error that more lines cannot mend: run it to report the error.
    case invalid
}

/// Completions of the text before a cursor, with where the replaced word starts (Jupyter's `cursor_start`).
public struct Completions: Sendable, Equatable {
    /// The names or fields that complete the word, sorted.
    public var matches: [String]
    /// Where the word they replace starts, in characters from the start of the text.
    public var start: Int
    /// The cursor, in characters.
    public var end: Int
    public init(matches: [String], start: Int, end: Int) { self.matches = matches; self.start = start; self.end = end }
}

extension Session {
    // MARK: - Requests that run as cells

    /// Queues `request` as the next cell (its source `request.source`) and returns the cell's number.
    @discardableResult
    public func submit(_ request: SessionRequest) -> Int {
        core.submit(request.source, origin: nil, firstLine: 1, request: request)
    }

    /// `:step [--quiz] EXPR`: walks `expression`'s forward and backward passes in the stepper (a `trace`
    /// event), as `trace(EXPR)` does whatever `trace` names now.
    @discardableResult
    public func step(expression: String, quiz: Bool = false) -> Int { submit(.step(expression: expression, quiz: quiz)) }

    /// `:next n` / `:continue`: trains the paused run `batches` more batches (nil: to the end), whatever
    /// `training` names now.
    @discardableResult
    public func resume(batches: Int?) -> Int { submit(.resume(batches: batches)) }

    /// Ends the paused run where it stands (the model keeps what it learned).
    @discardableResult
    public func stopTraining() -> Int { submit(.stopTraining) }

    // MARK: - Questions, answered on the session thread

    /// Whether `source` is a whole entry (answered at once, from the parser alone): complete, stopping too
    /// early (with the indent the next line takes: two spaces a bracket or block still open), or invalid.
    public func isComplete(_ source: String) -> Completeness {
        switch Parser.entry(source) {
        case .complete: return .complete
        case .invalid: return .invalid
        case .incomplete(let open): return .incomplete(indent: String(repeating: "  ", count: open))
        }
    }

    /// The user's names with their kinds, given to `reply` on the session thread (between cells, or at the
    /// running cell's next safe point).
    public func variables(_ reply: @escaping @Sendable ([VariableInfo]) -> Void) {
        core.enqueue { reply(Inspection.variables($0)) }
    }

    /// Completions of the word before `cursor` (a character offset into `text`), given to `reply` on the
    /// session thread.
    public func completions(for text: String, cursor: Int, _ reply: @escaping @Sendable (Completions) -> Void) {
        let before = String(text.prefix(max(0, cursor)))
        let end = before.count
        let word = before.reversed().prefix { CompletionPath.isNameCharacter($0) }.count
        core.enqueue { reply(Completions(matches: Inspection.completions(before, $0), start: end - word, end: end)) }
    }

    /// The name a cursor (a character offset into `text`) stands in or at the end of — or, just after `name(`, that
    /// name: what a front end's "inspect" asks `help` about. Nil when there is none. Answered at once.
    public func name(at cursor: Int, in text: String) -> String? {
        let chars = Array(text)
        let at = min(max(cursor, 0), chars.count)
        var start = at, end = at
        while start > 0, CompletionPath.isNameCharacter(chars[start - 1]) { start -= 1 }
        while end < chars.count, CompletionPath.isNameCharacter(chars[end]) { end += 1 }
        if start == end, at > 0, chars[at - 1] == "(" {
            end = at - 1
            start = end
            while start > 0, CompletionPath.isNameCharacter(chars[start - 1]) { start -= 1 }
        }
        return start < end ? String(chars[start..<end]) : nil
    }

    /// What `help(topic)` prints, given to `reply` on the session thread.
    public func help(_ topic: String, _ reply: @escaping @Sendable (String) -> Void) {
        core.enqueue { interp in
            if case .mapping? = interp.lookup(topic), let v = interp.lookup(topic) { reply(interp.helpText(for: v)); return }
            reply(interp.helpText(for: .string(topic)))
        }
    }

    /// The values of the tensor a path names (`w`, `m.layers[1].W`), binned, given to `reply` on the session
    /// thread: nil when the path names no tensor. Nothing is called to resolve the path.
    public func histogram(of path: String, bins: Int = 40, _ reply: @escaping @Sendable (HistogramData?) -> Void) {
        core.enqueue { interp in
            guard let (steps, last) = CompletionPath.parse(path + "."), last.isEmpty,
                  case .tensor(let v)? = CompletionPath.resolve(steps, interp) else { reply(nil); return }
            reply(HistogramData(binning: v.value.scalars, bins: bins, title: path))
        }
    }
}
