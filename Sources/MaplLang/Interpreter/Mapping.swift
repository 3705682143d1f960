import MaplNN

/// Anything callable in mapl: builtin functions, user functions, compositions, layers and models.
/// Everything is a mapping, and mappings compose with `>>`.
public protocol Mapping: AnyObject {
    /// The name users know it by (`relu`, `area`, `relu >> sigmoid`).
    var name: String { get }
    /// How it prints: `<mapping relu>`, `<fn area(w, h)>`.
    var displayString: String { get }
    /// Applies the mapping. Errors without a source position (`RuntimeError`, `TensorError`) are placed at
    /// the call by the interpreter.
    func call(_ args: [Value], keywords: [(name: String, value: Value)], interpreter: Interpreter) throws -> Value
    /// Fields `m.name` can read (`layers`, `params`, `W`, …).
    var fieldNames: [String] { get }
    func field(_ name: String) throws -> Value?
}

extension Mapping {
    public var displayString: String { "<mapping \(name)>" }
    public var fieldNames: [String] { [] }
    public func field(_ name: String) throws -> Value? { nil }
}

/// A user-defined mapping: `f(x) = …`, `fn f(x) { … }` or `x -> …`. It captures the scope it was defined in.
public final class UserFunction: Mapping {
    public enum Body { case expression(Expr), block([Stmt]) }
    public let name: String
    /// Parameters and body, compiled once where the mapping was defined.
    let function: CompiledFunction
    let closure: Environment
    /// True for `x -> …` (prints as `<fn x -> …>`).
    let isLambda: Bool

    public var parameters: [Parameter] { function.parameters }
    public var body: Body { function.body }

    init(name: String, _ function: CompiledFunction, closure: Environment, isLambda: Bool = false) {
        self.name = name; self.function = function; self.closure = closure; self.isLambda = isLambda
    }

    public var displayString: String {
        let params = parameters.map(\.name).joined(separator: ", ")
        return isLambda ? "<fn (\(params)) -> …>" : "<fn \(name)(\(params))>"
    }

    public func call(_ args: [Value], keywords: [(name: String, value: Value)], interpreter: Interpreter) throws -> Value {
        try interpreter.callUserFunction(self, args, keywords: keywords)
    }
}
