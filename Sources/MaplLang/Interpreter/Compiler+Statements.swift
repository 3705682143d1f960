import MaplNN

extension Compiler {
    static func statement(_ stmt: Stmt) -> Exec {
        let range = stmt.range
        switch stmt.kind {
        case .expression(let e):
            let code = expression(e)
            return { interp, env in _ = try code(interp, env); return .normal }
        case .assign(let target, let valueExpr):
            let value = expression(valueExpr)
            if case .name(let name) = target.kind {
                let symbol = Symbols.shared.intern(name)
                return { interp, env in
                    let v = try value(interp, env)
                    env.bind(symbol, v)
                    interp.labelTensor(v, name)
                    return .normal
                }
            }
            let assign = self.target(target)
            return { interp, env in try assign(interp, env, value(interp, env)); return .normal }
        case .compoundAssign(let target, let op, let valueExpr):
            return compoundAssign(target, op, valueExpr, range: range)
        case .define(let name, let params, let body):
            return function(name, params, .expression(body))
        case .function(let name, let params, let body):
            return function(name, params, .block(body))
        case .ifElse(let condition, let then, let otherwise):
            let test = expression(condition)
            let conditionRange = condition.range
            let yes = block(then)
            let no = block(otherwise ?? [])
            return { interp, env in
                if try interp.truth(test(interp, env), at: conditionRange) { return try yes(interp, env) }
                return try no(interp, env)
            }
        case .forIn(let variable, let iterable, let body):
            return forLoop(variable, iterable, block(body), range: range)
        case .whileLoop(let condition, let body):
            let test = expression(condition)
            let conditionRange = condition.range
            let run = block(body)
            return { interp, env in
                while try interp.truth(test(interp, env), at: conditionRange) {
                    try interp.checkInterrupt(at: range)
                    switch try run(interp, env) {
                    case .breakLoop: return .normal
                    case .returned(let v): return .returned(v)
                    case .normal, .continueLoop: continue
                    }
                }
                return .normal
            }
        case .nograd(let body):
            let run = block(body)
            return { interp, env in try GradMode.withoutGrad { try run(interp, env) } }
        case .returnValue(let e):
            guard let e else { return { _, _ in .returned(.none) } }
            let code = expression(e)
            return { interp, env in .returned(try code(interp, env)) }
        case .breakLoop:
            return { _, _ in .breakLoop }
        case .continueLoop:
            return { _, _ in .continueLoop }
        }
    }

    /// `f(x) = …` and `fn f(x) { … }`: the body is compiled once, here; each run of the statement binds a
    /// new mapping closing over the scope it runs in.
    private static func function(_ name: String, _ params: [Parameter], _ body: UserFunction.Body) -> Exec {
        if let problem = parameterProblem(params) { return { _, _ in throw problem } }
        let symbol = Symbols.shared.intern(name)
        let function = CompiledFunction(parameters: params, body: body)
        return { interp, env in
            env.bind(symbol, .mapping(UserFunction(name: name, function, closure: env)))
            return .normal
        }
    }

    // MARK: - Blocks

    /// Statements run in order until one leaves early (break, continue, return).
    ///
    /// A short block becomes a chain of closures, each calling the next: no array to walk on the hot path.
    /// (Closures kept in an array are stored at the array's generic abstraction, so every call through one
    /// goes through a reabstraction thunk; long blocks accept that, wrapped in `Step`.)
    static func block(_ stmts: [Stmt]) -> Exec {
        switch stmts.count {
        case 0:
            return { _, _ in .normal }
        case 1:
            return statement(stmts[0])
        case 2...8:
            let first = statement(stmts[0])
            let rest = block(Array(stmts.dropFirst()))
            return { interp, env in
                let flow = try first(interp, env)
                if case .normal = flow { return try rest(interp, env) }
                return flow
            }
        default:
            let steps = stmts.map { Step(run: statement($0)) }
            return { interp, env in
                for step in steps {
                    let flow = try step.run(interp, env)
                    if case .normal = flow { continue }
                    return flow
                }
                return .normal
            }
        }
    }

    /// A compiled statement in a long block.
    struct Step { let run: Exec }

    /// A mapping body: how it ended, and the value of its last statement when that is an expression (what a
    /// body without `return` gives).
    static func valueBlock(_ stmts: [Stmt]) -> (Interpreter, Environment) throws -> (ControlFlow, Value) {
        guard let last = stmts.last, case .expression(let e) = last.kind else {
            let run = block(stmts)
            return { interp, env in (try run(interp, env), .none) }
        }
        let prefix = block(Array(stmts.dropLast()))
        let tail = expression(e)
        return { interp, env in
            let flow = try prefix(interp, env)
            guard case .normal = flow else { return (flow, .none) }
            return (.normal, try tail(interp, env))
        }
    }

    // MARK: - for

    private static func forLoop(_ variable: String, _ iterableExpr: Expr, _ body: @escaping Exec, range: SourceRange) -> Exec {
        let symbol = Symbols.shared.intern(variable)
        // `for i in a..b` counts directly: no iterator object, no boxed values per step.
        if case .range(let lo, let hi) = iterableExpr.kind {
            let bounds = rangeBounds(lo, hi)
            return { interp, env in
                let (a, n) = try bounds(interp, env)
                var slot = -1   // resolved at the first step, so an empty range leaves the name unbound
                for k in 0..<n {
                    let i = a + Double(k)
                    try interp.checkInterrupt(at: range)
                    if slot < 0 { slot = env.ownSlot(symbol) }
                    env.set(slot, .number(i))
                    switch try body(interp, env) {
                    case .breakLoop: return .normal
                    case .returned(let v): return .returned(v)
                    case .normal, .continueLoop: break
                    }
                }
                return .normal
            }
        }
        let iterable = expression(iterableExpr)
        let iterableRange = iterableExpr.range
        return { interp, env in
            let value = try iterable(interp, env)
            let iterator = try interp.at(iterableRange) { try interp.iterator(over: value) }
            while let item = try interp.at(iterableRange, { try iterator.next() }) {
                try interp.checkInterrupt(at: range)
                env.bind(symbol, item)
                interp.labelTensor(item, variable)
                switch try body(interp, env) {
                case .breakLoop: return .normal
                case .returned(let v): return .returned(v)
                case .normal, .continueLoop: continue
                }
            }
            return .normal
        }
    }
}

/// A user mapping's parameters and body, compiled once where it is defined and shared by every mapping
/// that definition makes (a `fn` inside a loop compiles once, not per iteration).
final class CompiledFunction {
    let parameters: [Parameter]
    let body: UserFunction.Body
    /// The parameters as the argument binder sees them (made once, not per call).
    let specs: [ParameterSpec]
    let symbols: [Int]
    let defaults: [Compiler.CompiledDefault]
    let run: (Interpreter, Environment) throws -> (ControlFlow, Value)

    init(parameters: [Parameter], body: UserFunction.Body) {
        self.parameters = parameters
        self.body = body
        specs = parameters.map { ParameterSpec(name: $0.name, hasDefault: $0.defaultValue != nil) }
        symbols = parameters.map { Symbols.shared.intern($0.name) }
        defaults = parameters.map { .init(code: $0.defaultValue.map(Compiler.expression)) }
        switch body {
        case .expression(let e):
            let code = Compiler.expression(e)
            run = { interp, env in (.normal, try code(interp, env)) }
        case .block(let stmts):
            run = Compiler.valueBlock(stmts)
        }
    }
}
