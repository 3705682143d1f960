import Foundation
import MaplNN

/// How a statement ended: normally, or by leaving a loop or a mapping early.
enum ControlFlow {
    case normal
    case breakLoop
    case continueLoop
    case returned(Value)
}

extension Interpreter {
    /// Runs statements in `env`; also gives the value of the last statement when it is an expression
    /// (a mapping body's result when it has no `return`).
    func executeBlock(_ stmts: [Stmt], in env: Environment) throws -> (ControlFlow, Value) {
        var last: Value = .none
        // Reading statements in place (no copy of each `Stmt`) matters on hot loop bodies.
        return try stmts.withUnsafeBufferPointer { body in
            for i in 0..<body.count {
                if case .expression(let e) = body[i].kind {
                    last = try evaluate(e, in: env)
                    continue
                }
                last = .none
                let flow = try execute(body[i], in: env)
                if case .normal = flow { continue }
                return (flow, last)
            }
            return (.normal, last)
        }
    }

    func execute(_ stmt: Stmt, in env: Environment) throws -> ControlFlow {
        switch stmt.kind {
        case .expression(let e):
            _ = try evaluate(e, in: env)
        case .assign(let target, let valueExpr):
            let value = try evaluate(valueExpr, in: env)
            try assign(value, to: target, in: env)
        case .compoundAssign(let target, let op, let valueExpr):
            try compoundAssign(target, op, valueExpr, range: stmt.range, in: env)
        case .define(let name, let params, let body):
            try checkParameters(params)
            env.bind(name, .mapping(UserFunction(name: name, parameters: params, body: .expression(body), closure: env)))
        case .function(let name, let params, let body):
            try checkParameters(params)
            env.bind(name, .mapping(UserFunction(name: name, parameters: params, body: .block(body), closure: env)))
        case .ifElse(let condition, let then, let otherwise):
            if try truth(evaluate(condition, in: env), at: condition.range) {
                return try executeBlock(then, in: env).0
            } else if let otherwise {
                return try executeBlock(otherwise, in: env).0
            }
        case .forIn(let variable, let iterable, let body):
            return try executeFor(variable, iterable, body, range: stmt.range, in: env)
        case .whileLoop(let condition, let body):
            while try truth(evaluate(condition, in: env), at: condition.range) {
                try checkInterrupt(at: stmt.range)
                switch try executeBlock(body, in: env).0 {
                case .breakLoop: return .normal
                case .returned(let v): return .returned(v)
                case .normal, .continueLoop: continue
                }
            }
        case .nograd(let body):
            return try GradMode.withoutGrad { try executeBlock(body, in: env).0 }
        case .returnValue(let e):
            return .returned(try e.map { try evaluate($0, in: env) } ?? .none)
        case .breakLoop:
            return .breakLoop
        case .continueLoop:
            return .continueLoop
        }
        return .normal
    }

    /// Defaults must follow the parameters without one, and names must be distinct.
    func checkParameters(_ params: [Parameter]) throws {
        var seen = Set<String>()
        var sawDefault = false
        for p in params {
            guard seen.insert(p.name).inserted else {
                throw MaplError(.runtime, "parameter '\(p.name)' appears twice", at: p.range)
            }
            if p.defaultValue != nil { sawDefault = true } else if sawDefault {
                throw MaplError(.runtime, "parameter '\(p.name)' without a default follows one with a default", at: p.range)
            }
        }
    }

    // MARK: - for

    private func executeFor(_ variable: String, _ iterableExpr: Expr, _ body: [Stmt], range: SourceRange, in env: Environment) throws -> ControlFlow {
        // `for i in a..b` counts directly: no iterator object, no boxed values per step.
        if case .range(let lo, let hi) = iterableExpr.kind {
            let a = try at(lo.range) { try Convert.double(evaluate(lo, in: env), what: "the start of a range") }
            let b = try at(hi.range) { try Convert.double(evaluate(hi, in: env), what: "the end of a range") }
            var i = a
            var slot = -1   // resolved at the first step, so an empty range leaves the name unbound
            while i <= b {
                try checkInterrupt(at: range)
                if slot < 0 { slot = env.ownSlot(variable) }
                env.set(slot, .number(i))
                switch try executeBlock(body, in: env).0 {
                case .breakLoop: return .normal
                case .returned(let v): return .returned(v)
                case .normal, .continueLoop: break
                }
                i += 1
            }
            return .normal
        }
        let iterator = try makeIterator(iterableExpr, in: env)
        while let item = try at(iterableExpr.range, { try iterator.next() }) {
            try checkInterrupt(at: range)
            env.bind(variable, item)
            labelTensor(item, variable)
            switch try executeBlock(body, in: env).0 {
            case .breakLoop: return .normal
            case .returned(let v): return .returned(v)
            case .normal, .continueLoop: continue
            }
        }
        return .normal
    }

    /// What `for x in …` walks: `a..b` lazily (inclusive), lists, tensor rows, and library iterables.
    func makeIterator(_ expr: Expr, in env: Environment) throws -> ValueIterator {
        if case .range(let lo, let hi) = expr.kind {
            let a = try at(lo.range) { try Convert.double(evaluate(lo, in: env), what: "the start of a range") }
            let b = try at(hi.range) { try Convert.double(evaluate(hi, in: env), what: "the end of a range") }
            var next = a
            return ClosureValueIterator {
                guard next <= b else { return nil }
                defer { next += 1 }
                return .number(next)
            }
        }
        let value = try evaluate(expr, in: env)
        return try at(expr.range) { try iterator(over: value) }
    }

    /// An iterator over a value's items.
    public func iterator(over value: Value) throws -> ValueIterator {
        switch value {
        case .list(let items): return ArrayValueIterator(items)
        case .tensor(let t):
            guard t.rank >= 1 else { throw RuntimeError("cannot loop over a scalar tensor") }
            var i = 0
            let n = t.shape[0]
            return ClosureValueIterator {
                guard i < n else { return nil }
                defer { i += 1 }
                return .tensor(try Variable.index(t, [.at(i)]))
            }
        case .object(let o as IterableValue): return try o.makeValueIterator()
        case .mapping(let m as IterableValue): return try m.makeValueIterator()
        default:
            throw RuntimeError("cannot loop over \(value.kindWithArticle); loop over a range a..b, a list or a tensor")
        }
    }

    /// Names the graph node after the variable it is bound to (`z`), unless it already has a name.
    func labelTensor(_ value: Value, _ name: String) {
        if case .tensor(let v) = value, v.label == nil { v.label = name }
    }
}
