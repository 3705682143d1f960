import Foundation
import MaplNN

/// A compiled expression: its value in a scope.
typealias Code = (Interpreter, Environment) throws -> Value
/// A compiled statement: runs in a scope and says how it ended.
typealias Exec = (Interpreter, Environment) throws -> ControlFlow

/// Turns the syntax tree into Swift closures once, before it runs (the "closure compilation" of a tree
/// interpreter). Each node's closure captures what it needs already taken apart — its children's closures,
/// its operator, its names as symbols, its source range — so running a loop body does no `switch` over node
/// kinds, no copying of enum payloads out of the tree (and no reference counting of them), and no string
/// comparison: names are looked up by symbol.
///
/// Compiling never fails and has no effects: every error a program can raise (including bad parameter lists)
/// is raised when the statement runs, exactly as the tree-walker did. The closures take the interpreter as
/// an argument instead of capturing it, so a user function holding compiled code does not keep its
/// interpreter alive.
enum Compiler {
    static func expression(_ expr: Expr) -> Code {
        let range = expr.range
        switch expr.kind {
        case .number(let x):
            let v = Value.number(x)
            return { _, _ in v }
        case .string(let s):
            let v = Value.string(s)
            return { _, _ in v }
        case .bool(let b):
            let v = Value.bool(b)
            return { _, _ in v }
        case .none:
            return { _, _ in .none }
        case .name(let name):
            let symbol = Symbols.shared.intern(name)
            return { interp, env in
                if let v = env.lookup(symbol) { return v }
                throw MaplError(.runtime, interp.unknownNameMessage(name, in: env), at: range)
            }
        case .list(let items):
            let codes = items.map { Operand(code: expression($0)) }
            let name = ExprName(expr)
            return { interp, env in
                var values: [Value] = []
                values.reserveCapacity(codes.count)
                for c in codes { values.append(try c.code(interp, env)) }
                return name.names(try interp.at(range) { try interp.listLiteral(values) })
            }
        case .numbers(let values):
            // As `listLiteral` makes it from the numbers one by one: a constant of shape [n].
            return { _, _ in .constant(Tensor(values)) }
        case .unary(let op, let operand):
            let code = expression(operand)
            let operandRange = operand.range
            switch op {
            case .not:
                return { interp, env in .bool(!(try interp.truth(code(interp, env), at: operandRange))) }
            case .negate:
                let name = ExprName(expr)
                return { interp, env in
                    let v = try code(interp, env)
                    if case .number(let x) = v { return .number(-x) }
                    return name.names(try interp.at(range) { try interp.negate(v) })
                }
            }
        case .binary(let op, let lhs, let rhs):
            return binary(op, lhs, rhs, name: ExprName(expr), range: range)
        case .call(let calleeExpr, let arguments):
            return call(calleeExpr, arguments, name: ExprName(expr), range: range)
        case .index(let baseExpr, let subs):
            let subscripts = self.subscripts(subs)
            if case .field(let owner, "layers", let nameRange) = baseExpr.kind {
                // `m.layers[i]`: the owner is kept, so an empty list can be explained (a single layer).
                let ownerCode = expression(owner)
                return { interp, env in
                    let o = try ownerCode(interp, env)
                    let b = try interp.field(of: o, "layers", at: nameRange)
                    let evaluated = try interp.evaluateSubscripts(subscripts, in: env)
                    do { return try interp.at(range) { try interp.index(b, evaluated) } }
                    catch let e as MaplError { throw explainingLayers(e, owner: owner, value: o, layers: b) }
                }
            }
            let base = expression(baseExpr)
            let name = ExprName(expr)
            return { interp, env in
                let b = try base(interp, env)
                let evaluated = try interp.evaluateSubscripts(subscripts, in: env)
                return name.names(try interp.at(range) { try interp.index(b, evaluated) })
            }
        case .field(let baseExpr, let name, let nameRange):
            if case .name(let module) = baseExpr.kind, Suggestions.pythonModules.contains(module) {
                // `np.mean(x)`: unless the user bound `np`, say that builtins are used directly.
                let symbol = Symbols.shared.intern(module)
                return { interp, env in
                    guard let b = env.lookup(symbol) else {
                        let message = Suggestions.forModule(module, field: name, among: env.visibleNames) ?? interp.unknownNameMessage(module, in: env)
                        throw MaplError(.runtime, message, at: baseExpr.range)
                    }
                    return try interp.field(of: b, name, at: nameRange)
                }
            }
            let base = expression(baseExpr)
            let text = ExprName(expr)
            return { interp, env in text.names(try interp.field(of: base(interp, env), name, at: nameRange)) }
        case .lambda(let params, let body):
            if let problem = parameterProblem(params) { return { _, _ in throw problem } }
            let function = CompiledFunction(parameters: params, body: .expression(body))
            return { interp, env in .mapping(UserFunction(name: "lambda", function, closure: env, isLambda: true)) }
        case .range(let lo, let hi):
            let bounds = rangeBounds(lo, hi)
            return { interp, env in
                let (a, n) = try bounds(interp, env)
                guard n <= 10_000_000 else { throw MaplError(.runtime, "the range \(Printer.formatNumber(a))..\(Printer.formatNumber(a + Double(n - 1))) has \(n) items, too many to make a list (use it in a for loop)", at: range) }
                return .list((0..<n).map { .number(a + Double($0)) })
            }
        case .time(let stmts):
            let body = block(stmts)
            return { interp, env in
                let start = DispatchTime.now().uptimeNanoseconds
                let flow = try body(interp, env)
                if case .normal = flow {} else {
                    throw MaplError(.runtime, "break, continue and return cannot leave a time { } block", at: range)
                }
                return .number(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
        }
    }

    /// The largest magnitude a range end may have: beyond 2⁵³ consecutive doubles are more than 1 apart, so
    /// `x + 1 == x` and the items would not be distinct.
    static let largestRangeEnd = 9_007_199_254_740_992.0

    /// `a..b` as its first item and its number of items (`a, a+1, …` up to `b` inclusive), each error placed
    /// at its own end. Counting with an integer lets every loop end.
    static func rangeBounds(_ lo: Expr, _ hi: Expr) -> (Interpreter, Environment) throws -> (first: Double, count: Int) {
        let low = expression(lo), high = expression(hi)
        let lowRange = lo.range, highRange = hi.range
        func check(_ x: Double, _ what: String) throws -> Double {
            guard x.magnitude <= largestRangeEnd else {
                throw RuntimeError("\(what) must be a number within ±2^53 (9007199254740992), got \(Printer.formatNumber(x))")
            }
            return x
        }
        return { interp, env in
            let a = try interp.at(lowRange) { try check(Convert.double(low(interp, env), what: "the start of a range"), "the start of a range") }
            let b = try interp.at(highRange) { try check(Convert.double(high(interp, env), what: "the end of a range"), "the end of a range") }
            // Both ends within ±2⁵³: b − a is exact below 2⁵⁴ and converts to Int safely.
            return (a, b >= a ? Int((b - a).rounded(.down)) + 1 : 0)
        }
    }

    // MARK: - Operators

    private static func binary(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, name: ExprName, range: SourceRange) -> Code {
        let l = expression(lhs), r = expression(rhs)
        let lhsRange = lhs.range, rhsRange = rhs.range
        switch op {
        case .and:
            return { interp, env in
                guard try interp.truth(l(interp, env), at: lhsRange) else { return .bool(false) }
                return .bool(try interp.truth(r(interp, env), at: rhsRange))
            }
        case .or:
            return { interp, env in
                if try interp.truth(l(interp, env), at: lhsRange) { return .bool(true) }
                return .bool(try interp.truth(r(interp, env), at: rhsRange))
            }
        case .pipe:
            return { interp, env in
                let x = try l(interp, env)
                let f = try r(interp, env)
                guard case .mapping(let m) = f else {
                    throw MaplError(.runtime, "the right side of |> must be a mapping, got \(Convert.describeKind(f))", at: rhsRange)
                }
                return name.names(try interp.call(m, [x], keywords: [], arguments: [], range: range))
            }
        case .compose:
            return { interp, env in
                let f = try l(interp, env)
                let g = try r(interp, env)
                guard case .mapping(let mf) = f else {
                    throw MaplError(.runtime, ">> composes mappings, but the left side is \(Convert.describeKind(f))", at: lhsRange)
                }
                guard case .mapping(let mg) = g else {
                    throw MaplError(.runtime, ">> composes mappings, but the right side is \(Convert.describeKind(g))", at: rhsRange)
                }
                return try interp.at(range) { .mapping(try interp.compose(mf, mg)) }
            }
        default:
            return { interp, env in
                let a = try l(interp, env)
                let b = try r(interp, env)
                // Numbers with numbers need neither the general dispatch nor its error placement.
                if case .number(let x) = a, case .number(let y) = b, let v = Interpreter.numeric(op, x, y) { return v }
                do { return name.names(try interp.at(range) { try interp.binary(op, a, b) }) }
                catch let e as MaplError { throw explainingNone(e, [(lhs, a), (rhs, b)], interp, env) }
            }
        }
    }

    // MARK: - Calls

    private static func call(_ calleeExpr: Expr, _ arguments: [Argument], name: ExprName, range: SourceRange) -> Code {
        let callee = expression(calleeExpr)
        let calleeRange = calleeExpr.range
        let calleeDescription = Interpreter.describe(calleeExpr)
        let codes = arguments.map { Operand(code: expression($0.value)) }
        let labels = arguments.map(\.label)
        let argumentRanges = arguments.map(\.range)
        let hasKeywords = labels.contains { $0 != nil }
        return { interp, env in
            let f = try callee(interp, env)
            guard case .mapping(let m) = f else {
                throw MaplError(.runtime, "\(calleeDescription) is \(Convert.describeKind(f)), not a mapping; it cannot be called", at: calleeRange)
            }
            var args: [Value] = []
            args.reserveCapacity(codes.count)
            var keywords: [(name: String, value: Value)] = []
            if hasKeywords {
                for i in 0..<codes.count {
                    let v = try codes[i].code(interp, env)
                    if let label = labels[i] {
                        if keywords.contains(where: { $0.name == label }) {
                            throw MaplError(.runtime, "keyword argument '\(label)' given twice", at: argumentRanges[i])
                        }
                        keywords.append((label, v))
                    } else {
                        args.append(v)
                    }
                }
            } else {
                for c in codes { args.append(try c.code(interp, env)) }
            }
            return name.names(try interp.call(m, args, keywords: keywords, arguments: arguments, range: range))
        }
    }

    /// The text of an expression that computes a tensor (`W.T @ x`), written out when first needed and given
    /// to each tensor it computes that has no name of its own: how the stepper names what nobody bound.
    /// An enclosing expression that returns the same tensor (a call returning its argument) renames it.
    final class ExprName {
        private let expr: Expr
        private lazy var text = expr.text()
        init(_ expr: Expr) { self.expr = expr }

        @inline(__always)
        func names(_ value: Value) -> Value {
            if case .tensor(let t) = value, t.label == nil { t.text = text }
            return value
        }
    }

    /// A compiled operand kept in an array (a list item, a call argument). The struct keeps the closure at
    /// its own calling convention; a bare closure in an array is called through a reabstraction thunk.
    struct Operand { let code: Code }

    /// Why a parameter list is invalid (a repeated name, or a parameter without a default after one with a
    /// default), found once when the definition is compiled; the error is raised where the definition runs.
    static func parameterProblem(_ params: [Parameter]) -> MaplError? {
        var seen = Set<String>()
        var sawDefault = false
        for p in params {
            guard seen.insert(p.name).inserted else {
                return MaplError(.runtime, "parameter '\(p.name)' appears twice", at: p.range)
            }
            if p.defaultValue != nil { sawDefault = true } else if sawDefault {
                return MaplError(.runtime, "parameter '\(p.name)' without a default follows one with a default", at: p.range)
            }
        }
        return nil
    }

    /// A parameter's default, compiled (nil when it has none).
    struct CompiledDefault { let code: Code? }

    // MARK: - Subscripts

    /// One compiled entry of `x[…]`.
    enum CompiledSubscript {
        case index(Code)
        case slice(start: Bound?, end: Bound?, step: Bound?, range: SourceRange)
        /// A slice bound and where it was written.
        struct Bound { let code: Code; let range: SourceRange }
    }

    static func subscripts(_ subs: [Subscript]) -> [CompiledSubscript] {
        subs.map { s in
            switch s {
            case .index(let e): return .index(expression(e))
            case .slice(let start, let end, let step, let range):
                func bound(_ e: Expr?) -> CompiledSubscript.Bound? { e.map { .init(code: expression($0), range: $0.range) } }
                return .slice(start: bound(start), end: bound(end), step: bound(step), range: range)
            }
        }
    }
}

extension Interpreter {
    /// `x op y` on two numbers for the arithmetic and comparison operators (IEEE as NumPy: `1/0` is inf);
    /// nil for the operators that are not defined on numbers.
    @inline(__always)
    static func numeric(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Value? {
        switch op {
        case .add: return .number(x + y)
        case .subtract: return .number(x - y)
        case .multiply: return .number(x * y)
        case .divide: return .number(x / y)
        case .modulo: return .number(x - (x / y).rounded(.down) * y)
        case .power: return .number(Foundation.pow(x, y))
        case .less: return .bool(x < y)
        case .lessEqual: return .bool(x <= y)
        case .greater: return .bool(x > y)
        case .greaterEqual: return .bool(x >= y)
        case .equal: return .bool(x == y)
        case .notEqual: return .bool(x != y)
        default: return nil
        }
    }

    /// Evaluates compiled subscripts: slice bounds become integers (`none` means "open").
    func evaluateSubscripts(_ subs: [Compiler.CompiledSubscript], in env: Environment) throws -> [SubscriptValue] {
        try subs.map { s in
            switch s {
            case .index(let code): return .value(try code(self, env))
            case .slice(let start, let end, let step, let range):
                func bound(_ b: Compiler.CompiledSubscript.Bound?) throws -> Int? {
                    guard let b else { return nil }
                    let v = try b.code(self, env)
                    if case .none = v { return nil }
                    return try at(b.range) { try Convert.int(v, what: "a slice bound") }
                }
                let s = SubscriptValue.slice(start: try bound(start), end: try bound(end), step: try bound(step))
                if case .slice(_, _, let st) = s, st == 0 { throw MaplError(.runtime, "slice step cannot be zero", at: range) }
                return s
            }
        }
    }
}
