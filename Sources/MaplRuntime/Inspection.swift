import MaplLang

/// One of the user's names, as `:vars` lists it.
public struct VariableInfo: Sendable, Equatable {
    public var name: String
    /// What `type(x)` says.
    public var kind: String
    /// One line about the value (`tensor [2, 3] (parameter)`).
    public var summary: String
}

/// Answers a front end's questions about the session's state. Always runs on the session thread, between
/// statements or at a safe point of a running cell, so what it reads is consistent.
enum Inspection {
    static func variables(_ interp: Interpreter) -> [VariableInfo] {
        interp.userVariables.map { VariableInfo(name: $0.name, kind: $0.value.typeName, summary: interp.printer.summary($0.value)) }
    }

    /// Completions of the last word of `text`: a name (globals, builtins, keywords), or a field after a path of
    /// names, fields and integer indices (`m.layers[0].W`). The path is resolved by reading values only —
    /// nothing is called — so completing never runs user code.
    static func completions(_ text: String, _ interp: Interpreter) -> [String] {
        guard let (path, partial) = CompletionPath.parse(text) else { return [] }
        if path.isEmpty {
            let names = Set(interp.visibleNames).union(CompletionPath.keywords)
            return names.filter { $0.hasPrefix(partial) && !$0.hasPrefix("_") }.sorted()
        }
        guard let value = CompletionPath.resolve(path, interp) else { return [] }
        return interp.fieldNames(of: value).filter { $0.hasPrefix(partial) }.sorted()
    }
}

/// The expression before a completion point, as a chain of steps from a name.
enum CompletionPath {
    enum Step: Equatable { case name(String), field(String), index(Int) }

    static let keywords = ["if", "else", "for", "in", "while", "fn", "return", "break", "continue", "true", "false",
                           "none", "and", "or", "not", "nograd", "time"]

    /// Splits `text` at the completion point: `m.layers[0].W` → ([name m, field layers, index 0], "W").
    /// Nil when the text before the point is not a plain path (a call, an operator inside brackets).
    static func parse(_ text: String) -> ([Step], String)? {
        let chars = Array(text)
        var end = chars.count
        var start = end
        while start > 0, isNameCharacter(chars[start - 1]) { start -= 1 }
        let partial = String(chars[start..<end])
        guard start > 0, chars[start - 1] == "." else { return ([], partial) }
        // Walk back over `.name` and `[digits]` until the leading name.
        var steps: [Step] = []
        end = start - 1
        while true {
            if end > 0, chars[end - 1] == "]" {
                var open = end - 1
                while open > 0, chars[open - 1] != "[" { open -= 1 }
                guard open > 0, let i = Int(String(chars[open..<(end - 1)]).trimmingCharacters(in: .whitespaces)) else { return nil }
                steps.insert(.index(i), at: 0)
                end = open - 1
                continue
            }
            var s = end
            while s > 0, isNameCharacter(chars[s - 1]) { s -= 1 }
            guard s < end else { return nil }
            let word = String(chars[s..<end])
            if s > 0, chars[s - 1] == "." {
                steps.insert(.field(word), at: 0)
                end = s - 1
            } else {
                guard let first = word.first, !first.isNumber else { return nil }
                steps.insert(.name(word), at: 0)
                return (steps, partial)
            }
        }
    }

    static func isNameCharacter(_ c: Character) -> Bool { c == "_" || c.isLetter || c.isNumber }

    /// The value a path names, read without calling anything; nil when a step does not resolve.
    static func resolve(_ path: [Step], _ interp: Interpreter) -> Value? {
        var current: Value? = nil
        for step in path {
            switch step {
            case .name(let n): current = interp.lookup(n)
            case .field(let f): current = current.flatMap { interp.peekField(of: $0, f) }
            case .index(let i):
                guard case .list(let items)? = current else { return nil }
                let j = i < 0 ? i + items.count : i
                current = items.indices.contains(j) ? items[j] : nil
            }
            if current == nil { return nil }
        }
        return current
    }
}
