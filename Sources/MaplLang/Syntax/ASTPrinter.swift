/// S-expressions for syntax trees: `(+ a (* b c))`. They show exactly how the parser grouped the input, for
/// tests, docs and debugging. Forms: `(op a b)` for operators, `(call f a k=v)`, `(index x i (slice a _ _))`
/// (`_` marks a missing slice part), `(. x name)`, `(-> (a b) body)`, `(.. a b)`, `(list …)`, `(time …)`;
/// statements `(= t v)`, `(+= t v)`, `(define f (x y=1) body)`, `(fn f (x) (block …))`,
/// `(if c (block …) (block …))`, `(for x xs (block …))`, `(while c (block …))`, `(nograd (block …))`,
/// `(return x)`, `(break)`, `(continue)`.
extension Expr: CustomDebugStringConvertible {
    /// The expression as an S-expression.
    public var debugDescription: String {
        switch kind {
        case .number(let v): return Printer.formatNumber(v)
        case .string(let s): return Printer.quote(s)
        case .bool(let b): return b ? "true" : "false"
        case .none: return "none"
        case .name(let n): return n
        case .list(let items): return "(list" + items.map { " " + $0.debugDescription }.joined() + ")"
        case .numbers(let values): return "(list" + values.map { " " + Printer.formatNumber(Double($0)) }.joined() + ")"
        case .unary(let op, let e): return "(\(op.rawValue) \(e.debugDescription))"
        case .binary(let op, let a, let b): return "(\(op.rawValue) \(a.debugDescription) \(b.debugDescription))"
        case .call(let f, let args):
            return "(call \(f.debugDescription)" + args.map { " " + ($0.label.map { $0 + "=" } ?? "") + $0.value.debugDescription }.joined() + ")"
        case .index(let base, let subs):
            return "(index \(base.debugDescription)" + subs.map { " " + ASTPrinter.subscriptText($0) }.joined() + ")"
        case .field(let base, let name, _): return "(. \(base.debugDescription) \(name))"
        case .lambda(let params, let body): return "(-> \(ASTPrinter.parameters(params)) \(body.debugDescription))"
        case .range(let a, let b): return "(.. \(a.debugDescription) \(b.debugDescription))"
        case .time(let body): return "(time" + body.map { " " + $0.debugDescription }.joined() + ")"
        }
    }
}

extension Stmt: CustomDebugStringConvertible {
    /// The statement as an S-expression; an expression statement prints as its expression.
    public var debugDescription: String {
        switch kind {
        case .expression(let e): return e.debugDescription
        case .assign(let t, let v): return "(= \(t.debugDescription) \(v.debugDescription))"
        case .compoundAssign(let t, let op, let v): return "(\(op.rawValue)= \(t.debugDescription) \(v.debugDescription))"
        case .define(let name, let params, let body): return "(define \(name) \(ASTPrinter.parameters(params)) \(body.debugDescription))"
        case .function(let name, let params, let body): return "(fn \(name) \(ASTPrinter.parameters(params)) \(ASTPrinter.block(body)))"
        case .ifElse(let c, let then, let otherwise):
            return "(if \(c.debugDescription) \(ASTPrinter.block(then))" + (otherwise.map { " " + ASTPrinter.block($0) } ?? "") + ")"
        case .forIn(let v, let iterable, let body): return "(for \(v) \(iterable.debugDescription) \(ASTPrinter.block(body)))"
        case .whileLoop(let c, let body): return "(while \(c.debugDescription) \(ASTPrinter.block(body)))"
        case .nograd(let body): return "(nograd \(ASTPrinter.block(body)))"
        case .returnValue(let e): return e.map { "(return \($0.debugDescription))" } ?? "(return)"
        case .breakLoop: return "(break)"
        case .continueLoop: return "(continue)"
        }
    }
}

extension Program: CustomDebugStringConvertible {
    /// One S-expression per statement, one per line.
    public var debugDescription: String { statements.map(\.debugDescription).joined(separator: "\n") }
}

/// Helpers shared by the printers above.
enum ASTPrinter {
    /// Whole numbers without a fractional part (`2`, not `2.0`); others as Swift prints doubles.
    static func parameters(_ ps: [Parameter]) -> String {
        "(" + ps.map { p in p.name + (p.defaultValue.map { "=" + $0.debugDescription } ?? "") }.joined(separator: " ") + ")"
    }

    static func block(_ body: [Stmt]) -> String { "(block" + body.map { " " + $0.debugDescription }.joined() + ")" }

    static func subscriptText(_ s: Subscript) -> String {
        switch s {
        case .index(let e): return e.debugDescription
        case .slice(let a, let b, let c, _):
            return "(slice \(a?.debugDescription ?? "_") \(b?.debugDescription ?? "_") \(c?.debugDescription ?? "_"))"
        }
    }
}
