import MaplNN

/// print, assert, close, type, str, format, help, vars, precision, show_limit.
extension BuiltinRegistry {
    func registerCoreBuiltins() {
        let c = "core"
        register("print(values...)", category: c, "prints values separated by spaces (strings without quotes)") { a in
            let items = (try? a.list("values")) ?? []
            a.interpreter.write(items.map { a.interpreter.printer.text($0) }.joined(separator: " "))
            return .none
        }
        register("assert(cond, message=\"assertion failed\")", category: c, "stops with the message unless cond is true") { a in
            let interp = a.interpreter
            guard try interp.truth(a.value("cond"), at: interp.currentCallRange) else {
                let message = try a.string("message")
                throw RuntimeError(message.isEmpty ? "the condition is false" : message, kind: .assertion)
            }
            return .none
        }
        register("close(a, b, tol=1e-5)", category: c, "true when a and b have broadcastable shapes and |a − b| ≤ tol·(1 + |b|) everywhere") { a in
            let x = try a.tensor("a"), y = try a.tensor("b")
            let tol = try a.float("tol")
            return .bool(Tensor.allClose(x, y, rtol: tol, atol: tol))
        }
        register("type(x)", category: c, "the kind of a value: number, bool, string, none, tensor, list, record, mapping, …") { a in
            .string(a.value("x").typeName)
        }
        register("str(x)", category: c, "the text print(x) shows, as a string: \"epoch \" + str(3)") { a in
            .string(a.interpreter.printer.text(a.value("x")))
        }
        register("format(x, digits=none)", category: c, "a number as text with exactly `digits` decimals, as Python's f\"{x:.3f}\" (a tensor: printed with that many); digits defaults to precision(n)") { a in
            let digits = a.isNone("digits") ? a.interpreter.printer.precision : try a.int("digits")
            guard (0...20).contains(digits) else { throw a.error("digits", "digits must be between 0 and 20, got \(digits)") }
            switch a.value("x") {
            case .number(let x): return .string(Printer.fixed(x, digits: digits))
            case .tensor(let t) where t.value.rank == 0: return .string(Printer.fixed(Double(t.value.scalars[0]), digits: digits))
            case .tensor(let t):
                var printer = a.interpreter.printer
                printer.precision = digits
                return .string(printer.format(t))
            case let v:
                throw a.error("x", "x must be a number or a tensor, got \(Convert.describeKind(v))")
            }
        }
        register("help(topic=none)", category: c, "help(name) explains a builtin, keyword or piece of syntax with an example; help() lists the categories") { a in
            a.interpreter.write(a.interpreter.helpText(for: a.value("topic")))
            return .none
        }
        register("vars()", category: c, "lists the names you have bound, with their kinds and shapes") { a in
            let vars = a.interpreter.userVariables
            if vars.isEmpty { a.interpreter.write("(no variables yet)"); return .none }
            let width = vars.map(\.name.count).max() ?? 0
            for (name, value) in vars {
                a.interpreter.write(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + a.interpreter.printer.summary(value))
            }
            return .none
        }
        // One name, two meanings in the contract: the printing precision, and the classification metric.
        register("precision(n, y=none)", category: c, "precision(n) shows tensors with n decimals from now on (4 by default); precision(pred, y) is the macro-averaged precision of predictions against labels") { a in
            if !a.isNone("y") { return Value.float32(try Metrics.precision(a.tensor("n"), a.tensor("y"))) }
            let n = try a.int("n")
            guard (0...16).contains(n) else { throw a.error("n", "precision must be between 0 and 16, got \(n)") }
            a.interpreter.printer.precision = n
            return .none
        }
        register("show_limit(n=none)", category: c, "show_limit(n) prints tensors of up to n elements in full from now on (the notebook and the stepper draw them as grids); show_limit() goes back to the default: in the notebook what fits the pane, in mapl run 1000") { a in
            if a.isNone("n") { a.interpreter.printer.showLimit = nil; return .none }
            let n = try a.int("n")
            guard (1...ValueSnapshot.tensorLimit).contains(n) else { throw a.error("n", "show_limit must be between 1 and \(ValueSnapshot.tensorLimit), got \(n)") }
            a.interpreter.printer.showLimit = n
            return .none
        }
    }
}

extension Interpreter {
    /// What `help(topic)` prints: the overview for `none`, a builtin's signature, line and example, a user
    /// mapping's signature, or what `helpText(topic:)` says for a string.
    public func helpText(for topic: Value) -> String {
        switch topic {
        case .none: return helpText(topic: nil)
        case .string(let s): return helpText(topic: s)
        case .mapping(let m as BuiltinFunction): return helpText(topic: m.builtin.name)
        case .mapping(let m): return m.displayString
        default: return "\(topic.typeName): \(printer.summary(topic))"
        }
    }

    /// Help on a topic by name — a builtin, a keyword (`nograd`), a piece of syntax (`>>`, `[a:b]`), a
    /// category (`layers`, `keywords`, `syntax`) — or the overview of categories for nil. What `help`, the
    /// notebook's `?name` and `:help name` show.
    public func helpText(topic: String?) -> String {
        let categories = registry.all.reduce(into: [String]()) { if !$0.contains($1.category) { $0.append($1.category) } }
        guard let name = topic?.trimmedSpaces(), !name.isEmpty else {
            let width = categories.map(\.count).max() ?? 0
            var lines = [
                "help(name) explains a builtin, keyword or piece of syntax with an example: help(relu), help(\"for\"), help(\">>\").",
                "help(\"layers\") lists a category of builtins; help(\"keywords\") and help(\"syntax\") the rest of the language.",
                "builtins:",
            ]
            for cat in categories {
                let names = registry.all.filter { $0.category == cat }.map(\.name).joined(separator: " ")
                lines.append("  " + cat.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + names)
            }
            lines.append("keywords:  " + HelpTopics.keywords.flatMap(\.names).filter { $0 != "def" }.joined(separator: " "))
            lines.append("syntax:    " + HelpTopics.syntax.map { $0.names[0] }.joined(separator: " "))
            lines.append("The language is described in docs/language.md (the contract: LANGUAGE.md); `mapl --help` for the command line.")
            return lines.joined(separator: "\n")
        }
        if let b = registry[name] {
            return "\(b.signature)\n  \(b.help)" + (HelpTopics.examples[name].map { "\n  example: \($0)" } ?? "")
        }
        if categories.contains(name) {
            return ([name + ":"] + registry.all.filter { $0.category == name }.map { "  \($0.signature) — \($0.help)" }).joined(separator: "\n")
        }
        if name == "keywords" || name == "syntax" {
            let entries = name == "keywords" ? HelpTopics.keywords : HelpTopics.syntax
            return ([name + ":"] + entries.map { "  \($0.title) — \($0.meaning)" } + ["help(\"name\") shows one with an example."]).joined(separator: "\n")
        }
        if let e = HelpTopics.entry(name) { return HelpTopics.text(e) }
        var message = "no builtin, keyword or syntax named '\(name)'"
        if let s = Suggestions.closest(to: name, among: registry.names + HelpTopics.names + categories) { message += " — did you mean '\(s)'?" }
        return message + " (help() lists them all)"
    }
}
