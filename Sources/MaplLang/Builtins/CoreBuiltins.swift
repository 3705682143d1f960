import MaplNN

/// print, assert, close, type, help, vars, precision.
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
                throw RuntimeError(try a.string("message"), kind: .assertion)
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
        register("help(topic=none)", category: c, "help(name) explains a builtin; help() lists them all") { a in
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
    }
}

extension Interpreter {
    /// What `help(topic)` prints: a builtin's signature and line, a user mapping's signature, or the list.
    public func helpText(for topic: Value) -> String {
        var name: String?
        switch topic {
        case .none:
            var lines: [String] = []
            var categories: [String] = []
            for b in registry.all where !categories.contains(b.category) { categories.append(b.category) }
            for cat in categories {
                lines.append(cat + ":")
                lines.append("  " + registry.all.filter { $0.category == cat }.map(\.name).joined(separator: " "))
            }
            lines.append("help(name) explains one.")
            return lines.joined(separator: "\n")
        case .string(let s): name = s
        case .mapping(let m as BuiltinFunction): name = m.builtin.name
        case .mapping(let m): return m.displayString
        default: return "\(topic.typeName): \(printer.summary(topic))"
        }
        guard let n = name else { return "" }
        if let b = registry[n] { return "\(b.signature)\n  \(b.help)" }
        var message = "no builtin named '\(n)'"
        if let s = Suggestions.closest(to: n, among: registry.names) { message += " — did you mean '\(s)'?" }
        return message
    }
}
