/// The syntax tree the parser builds and the interpreter walks. Every node carries the source range it came
/// from, so any error raised while evaluating it can point at the code.

/// An expression.
public struct Expr: Sendable {
    public var kind: Kind
    public var range: SourceRange
    public init(_ kind: Kind, _ range: SourceRange) { self.kind = kind; self.range = range }

    public indirect enum Kind: Sendable {
        case number(Double)
        case string(String)
        case bool(Bool)
        case none
        case name(String)
        /// `[a, b, …]`: a tensor when the elements are numbers or equal-shaped tensors, otherwise a list.
        case list([Expr])
        /// A long list literal of plain numbers: the tensor it makes, without a node per number.
        case numbers([Float])
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// `callee(args…)` with optional keyword arguments.
        case call(Expr, [Argument])
        /// `base[i, a:b, :]`
        case index(Expr, [Subscript])
        /// `base.name`; `nameRange` points at the field name for "no such field" errors.
        case field(Expr, String, nameRange: SourceRange)
        /// `x -> body`, `(a, b) -> body`.
        case lambda([Parameter], Expr)
        /// `a..b`, inclusive, as in `for i in 1..5`.
        case range(Expr, Expr)
        /// `time { … }`: runs the block and gives the seconds it took.
        case time([Stmt])
    }
}

/// Prefix operators.
public enum UnaryOperator: String, Sendable { case negate = "-", not = "not" }

/// Infix operators, by the symbols users write.
public enum BinaryOperator: String, Sendable, CaseIterable {
    case pipe = "|>", compose = ">>"
    case or = "or", and = "and"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
    case matmul = "@", power = "^"
}

/// A call argument, positional (`label == nil`) or keyword (`k=v`).
public struct Argument: Sendable {
    public var label: String?
    public var value: Expr
    public var range: SourceRange
    public init(label: String?, value: Expr, range: SourceRange) { self.label = label; self.value = value; self.range = range }
}

/// One entry of an index expression.
public enum Subscript: Sendable {
    case index(Expr)
    /// `start:end:step`, each part optional.
    case slice(start: Expr?, end: Expr?, step: Expr?, range: SourceRange)
}

/// A parameter of a mapping, with an optional default (`fn f(x, lr=0.1)`).
public struct Parameter: Sendable {
    public var name: String
    public var defaultValue: Expr?
    public var range: SourceRange
    public init(name: String, defaultValue: Expr?, range: SourceRange) { self.name = name; self.defaultValue = defaultValue; self.range = range }
}

/// A statement.
public struct Stmt: Sendable {
    public var kind: Kind
    public var range: SourceRange
    public init(_ kind: Kind, _ range: SourceRange) { self.kind = kind; self.range = range }

    public indirect enum Kind: Sendable {
        case expression(Expr)
        /// `target = value`; the target is a name, an index expression or a field.
        case assign(target: Expr, value: Expr)
        /// `target op= value` for `+= -= *= /=` — in place, never recorded for gradients.
        case compoundAssign(target: Expr, BinaryOperator, value: Expr)
        /// `f(x, y) = expr`: a one-line mapping.
        case define(name: String, [Parameter], body: Expr)
        /// `fn name(params) { body }`.
        case function(name: String, [Parameter], body: [Stmt])
        /// `if c { … } else if … else { … }`; an `else if` chain is an `if` inside `otherwise`.
        case ifElse(condition: Expr, then: [Stmt], otherwise: [Stmt]?)
        /// `for name in iterable { … }`.
        case forIn(variable: String, iterable: Expr, body: [Stmt])
        case whileLoop(condition: Expr, body: [Stmt])
        /// `nograd { … }`: nothing inside is recorded for gradients.
        case nograd([Stmt])
        case returnValue(Expr?)
        case breakLoop
        case continueLoop
    }
}

/// A parsed program or prompt entry.
public struct Program: Sendable {
    public var statements: [Stmt]
    public var source: String
    public init(statements: [Stmt], source: String) { self.statements = statements; self.source = source }
}
