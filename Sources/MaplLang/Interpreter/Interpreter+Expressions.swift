import Foundation
import MaplNN

extension Interpreter {
    func evaluate(_ expr: Expr, in env: Environment) throws -> Value {
        switch expr.kind {
        case .number(let x): return .number(x)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .none: return .none
        case .name(let name):
            if let v = env.lookup(name) { return v }
            throw MaplError(.runtime, unknownNameMessage(name, in: env), at: expr.range)
        case .list(let items):
            let values = try items.map { try evaluate($0, in: env) }
            return try at(expr.range) { try listLiteral(values) }
        case .unary(let op, let operand):
            let v = try evaluate(operand, in: env)
            switch op {
            case .not: return .bool(!(try truth(v, at: operand.range)))
            case .negate: return try at(expr.range) { try negate(v) }
            }
        case .binary(let op, let lhs, let rhs):
            return try evaluateBinary(op, lhs, rhs, range: expr.range, in: env)
        case .call(let calleeExpr, let arguments):
            let callee = try evaluate(calleeExpr, in: env)
            guard case .mapping(let f) = callee else {
                throw MaplError(.runtime, "\(describe(calleeExpr)) is \(Convert.describeKind(callee)), not a mapping; it cannot be called", at: calleeExpr.range)
            }
            var args: [Value] = []
            var keywords: [(name: String, value: Value)] = []
            for a in arguments {
                let v = try evaluate(a.value, in: env)
                if let label = a.label {
                    if keywords.contains(where: { $0.name == label }) {
                        throw MaplError(.runtime, "keyword argument '\(label)' given twice", at: a.range)
                    }
                    keywords.append((label, v))
                } else {
                    args.append(v)
                }
            }
            return try call(f, args, keywords: keywords, arguments: arguments, range: expr.range)
        case .index(let baseExpr, let subs):
            let base = try evaluate(baseExpr, in: env)
            let evaluated = try evaluateSubscripts(subs, in: env)
            return try at(expr.range) { try index(base, evaluated) }
        case .field(let baseExpr, let name, let nameRange):
            let base = try evaluate(baseExpr, in: env)
            return try field(of: base, name, at: nameRange)
        case .lambda(let params, let body):
            try checkParameters(params)
            return .mapping(UserFunction(name: "lambda", parameters: params, body: .expression(body), closure: env, isLambda: true))
        case .range(let lo, let hi):
            let a = try at(lo.range) { try Convert.double(evaluate(lo, in: env), what: "the start of a range") }
            let b = try at(hi.range) { try Convert.double(evaluate(hi, in: env), what: "the end of a range") }
            guard b - a < 10_000_000 else { throw MaplError(.runtime, "the range \(Printer.formatNumber(a))..\(Printer.formatNumber(b)) is too long to make a list (use it in a for loop)", at: expr.range) }
            var items: [Value] = []
            var x = a
            while x <= b { items.append(.number(x)); x += 1 }
            return .list(items)
        case .time(let body):
            let start = DispatchTime.now().uptimeNanoseconds
            let flow = try executeBlock(body, in: env).0
            if case .normal = flow {} else {
                throw MaplError(.runtime, "break, continue and return cannot leave a time { } block", at: expr.range)
            }
            return .number(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
    }

    /// Calls `f` from a call expression: counts depth, checks for Ctrl-C, and places errors without a
    /// position at the argument they name or at the call.
    func call(_ f: Mapping, _ args: [Value], keywords: [(name: String, value: Value)], arguments: [Argument], range: SourceRange) throws -> Value {
        let saved = currentCallRange
        currentCallRange = range
        defer { currentCallRange = saved }
        do {
            return try apply(f, args, keywords: keywords)
        } catch let e as RuntimeError {
            var where_ = range
            switch e.argument {
            case .positional(let i)?:
                if let a = arguments.filter({ $0.label == nil }).dropFirst(i).first { where_ = a.range }
            case .keyword(let k)?:
                if let a = arguments.first(where: { $0.label == k }) { where_ = a.range }
            case nil: break
            }
            throw MaplError(e.kind, e.message, at: where_)
        } catch let e as TensorError {
            throw MaplError(.runtime, e.message, at: range)
        }
    }

    /// `[a, b, …]`: numbers and equal-shaped tensors stack into a tensor (gradients flow through the
    /// stack); anything else, or an empty `[]`, is a list. A list naming parameters stays a list of those
    /// very parameters — `adam([w, b])`, `zero_grad([w, b])` — since stacking would copy them (use
    /// `stack([w, b])` for the tensor).
    func listLiteral(_ values: [Value]) throws -> Value {
        guard !values.isEmpty else { return .list([]) }
        var parts: [Variable] = []
        for v in values {
            switch v {
            case .number(let x): parts.append(Variable(Tensor(Float(x))))
            case .tensor(let t) where !t.isParameter: parts.append(t)
            default: return .list(values)
            }
        }
        guard let shape = parts.first?.shape, parts.allSatisfy({ $0.shape == shape }) else { return .list(values) }
        if parts.allSatisfy({ !$0.requiresGrad }) {
            return .constant(try Tensor.stack(parts.map(\.value), axis: 0))
        }
        return .tensor(try Variable.stack(parts, axis: 0))
    }

    func negate(_ v: Value) throws -> Value {
        switch v {
        case .number(let x): return .number(-x)
        case .tensor(let t): return .tensor(-t)
        default: throw RuntimeError("cannot negate \(v.kindWithArticle)")
        }
    }

    /// A short description of an expression for messages: its name when it is one.
    func describe(_ e: Expr) -> String {
        if case .name(let n) = e.kind { return "'\(n)'" }
        if case .field(_, let n, _) = e.kind { return "field '\(n)'" }
        return "this value"
    }

    func unknownNameMessage(_ name: String, in env: Environment) -> String {
        var message = "unknown name '\(name)'"
        if let suggestion = Suggestions.closest(to: name, among: env.visibleNames) {
            message += " — did you mean '\(suggestion)'?"
        }
        return message
    }
}
