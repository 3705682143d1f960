/// Expressions written back as code — `W.T @ x + b`, `(yhat - y)^2`, `sigmoid(z)` — with the parentheses the
/// grammar needs and no others: how the stepper names a value the program computed without binding it.
extension Expr {
    /// The expression as code, at most `limit` characters where it can: a longer one has its innermost
    /// operands elided (`sigmoid(… @ …)`, down to `f(…)`).
    public func text(limit: Int = 40) -> String {
        ExprText.shortened(limit: limit) { ExprText.write(self, depth: $0) }
    }

    /// True for an expression that only reads a value — a name, a field, an element — as opposed to a call
    /// or an operation: what the prompt echoes even when the value is `none`.
    var isRead: Bool {
        switch kind {
        case .name, .field, .index: return true
        default: return false
        }
    }
}

enum ExprText {
    /// `write(nil)` (the whole text) when it fits in `limit` characters, else the first of `write(3)`,
    /// `write(2)`, `write(1)` (operands deeper than that many levels elided) that fits, else `write(1)`.
    static func shortened(limit: Int, _ write: (Int?) -> String) -> String {
        let full = write(nil)
        guard full.count > limit else { return full }
        for depth in stride(from: 3, through: 1, by: -1) {
            let short = write(depth)
            if short.count <= limit || depth == 1 { return short }
        }
        return full
    }

    /// How tightly each operator binds (the parser's left binding powers, Parser+Expressions.swift).
    static func power(_ op: BinaryOperator) -> Int {
        switch op {
        case .pipe: return 10
        case .compose: return 20
        case .or: return 30
        case .and: return 40
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return 50
        case .add, .subtract: return 70
        case .multiply, .divide, .modulo: return 80
        case .matmul: return 90
        case .power: return 100
        }
    }

    /// The binding power of an expression as an operand: its operator's, a prefix `-` between `@` and `^`,
    /// and atoms (names, calls, literals) the tightest.
    static func power(of e: Expr) -> Int {
        switch e.kind {
        case .binary(let op, _, _): return power(op)
        case .unary(.negate, _): return 95
        case .unary(.not, _): return 45
        case .range: return 60
        case .lambda, .time: return 0
        default: return 1000
        }
    }

    /// `e` as code; with `depth`, operands nested deeper than that are `…`.
    static func write(_ e: Expr, depth: Int?) -> String {
        if let depth, depth <= 0, power(of: e) < 1000 || isCompound(e) { return "…" }
        let inner = depth.map { $0 - 1 }
        func sub(_ x: Expr) -> String { write(x, depth: inner) }
        func wrapped(_ x: Expr, _ parens: Bool) -> String { parens ? "(" + sub(x) + ")" : sub(x) }
        switch e.kind {
        case .number(let v): return Printer.formatNumber(v)
        case .string(let s): return Printer.quote(s)
        case .bool(let b): return b ? "true" : "false"
        case .none: return "none"
        case .name(let n): return n
        case .list(let items):
            // Shortened, a long list shows its first items (`[0, 1, 2, …]`).
            let shown = depth != nil && items.count > 4 ? items.prefix(3).map(sub) + ["…"] : items.map(sub)
            return "[" + shown.joined(separator: ", ") + "]"
        case .numbers(let values):
            // A long literal of plain numbers (kept as its values): the first three, then `…`.
            let shown = values.prefix(3).map { Printer.formatNumber(Double($0)) } + (values.count > 3 ? ["…"] : [])
            return "[" + shown.joined(separator: ", ") + "]"
        case .unary(.negate, let x): return "-" + wrapped(x, power(of: x) < 95)
        case .unary(.not, let x): return "not " + wrapped(x, power(of: x) < 50)
        case .binary(let op, let a, let b):
            let p = power(op)
            // `^` groups to the right, every other operator to the left.
            let left = wrapped(a, op == .power ? power(of: a) <= p : power(of: a) < p)
            let right = wrapped(b, op == .power ? power(of: b) < p : power(of: b) <= p)
            return op == .power ? left + "^" + right : left + " " + op.rawValue + " " + right
        case .call(let f, let args):
            return wrapped(f, power(of: f) < 1000) + "(" + args.map { ($0.label.map { $0 + "=" } ?? "") + sub($0.value) }.joined(separator: ", ") + ")"
        case .index(let base, let subs):
            return wrapped(base, power(of: base) < 1000) + "[" + subs.map { subscriptText($0, depth: inner) }.joined(separator: ", ") + "]"
        case .field(let base, let name, _): return wrapped(base, power(of: base) < 1000) + "." + name
        case .lambda(let params, let body): return "(" + params.map(\.name).joined(separator: ", ") + ") -> " + sub(body)
        case .range(let a, let b): return sub(a) + ".." + sub(b)
        case .time: return "time { … }"
        }
    }

    /// Calls, elements and lists are atoms to the grammar but still worth eliding when deep.
    private static func isCompound(_ e: Expr) -> Bool {
        switch e.kind {
        case .call, .index, .list, .numbers: return true
        default: return false
        }
    }

    private static func subscriptText(_ s: Subscript, depth: Int?) -> String {
        switch s {
        case .index(let e): return write(e, depth: depth)
        case .slice(let a, let b, let c, _):
            let parts = [a, b].map { $0.map { write($0, depth: depth) } ?? "" }
            return parts.joined(separator: ":") + (c.map { ":" + write($0, depth: depth) } ?? "")
        }
    }
}
